using NetTopologySuite.Geometries;

namespace Wijkmeldingen.Web.Domein;

/// <summary>A cell of PostGIS's ST_HexagonGrid: column <see cref="I"/>, row <see cref="J"/>.</summary>
public readonly record struct HexCel(int I, int J);

/// <summary>
/// The hexagon grid of <c>ST_HexagonGrid(zijde, ...)</c> in EPSG:28992, computed from coordinates
/// (the same arithmetic as the SQL function <c>hex_cel</c> in V20). Flat-topped hexagons with edge
/// <see cref="Zijde"/>; cell (i, j) has its centre at (1.5·zijde·i, √3·zijde·(j + ½ when i is odd)).
/// </summary>
public sealed class HexRaster
{
    private static readonly double Wortel3 = Math.Sqrt(3);

    public HexRaster(double zijde)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(zijde);
        Zijde = zijde;
    }

    public double Zijde { get; }

    /// <summary>Distance between the centres of two neighbouring cells (√3 × edge). A Gi*
    /// neighbourhood must reach further than this to include the six neighbours.</summary>
    public double BurenAfstand => Wortel3 * Zijde;

    public HexCel Cel(double x, double y)
    {
        // Axial coordinates of the point, rounded in cube coordinates to the nearest centre (ties to
        // even, as PostgreSQL rounds float8).
        var fq = x * 2.0 / 3.0 / Zijde;
        var fr = ((Wortel3 / 3.0 * y) - (x / 3.0)) / Zijde;
        var fs = -fq - fr;
        double rq = Math.Round(fq),
            rr = Math.Round(fr),
            rs = Math.Round(fs);
        double dq = Math.Abs(rq - fq),
            dr = Math.Abs(rr - fr),
            ds = Math.Abs(rs - fs);
        if (dq > dr && dq > ds)
        {
            rq = -rr - rs;
        }
        else if (dr > ds)
        {
            rr = -rq - rs;
        }
        var q = (int)rq;
        var r = (int)rr;
        return new HexCel(q, r + ((q - (q & 1)) / 2));
    }

    public Coordinate Middelpunt(HexCel cel) => new(1.5 * Zijde * cel.I, Wortel3 * Zijde * (cel.J + ((cel.I & 1) == 1 ? 0.5 : 0.0)));

    /// <summary>The cell's hexagon, vertices in ST_HexagonGrid's order.</summary>
    public Polygon Zeshoek(HexCel cel, GeometryFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var m = Middelpunt(cel);
        var h = Wortel3 / 2 * Zijde;
        var hoeken = new[]
        {
            new Coordinate(m.X - Zijde, m.Y),
            new Coordinate(m.X - (Zijde / 2), m.Y - h),
            new Coordinate(m.X + (Zijde / 2), m.Y - h),
            new Coordinate(m.X + Zijde, m.Y),
            new Coordinate(m.X + (Zijde / 2), m.Y + h),
            new Coordinate(m.X - (Zijde / 2), m.Y + h),
            new Coordinate(m.X - Zijde, m.Y),
        };
        return factory.CreatePolygon(hoeken);
    }
}
