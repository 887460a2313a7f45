using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NetTopologySuite.Geometries;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

public sealed class HotspotEngineTests : DatabaseTest
{
    private static readonly WijkbeeldOptions Opties = new() { PubliekeCelgrootte = 250 };
    private static readonly HotspotOptions Engine = new() { Celgroottes = [100, 250] };
    private static readonly Periode Maart = new("maand", new DateTime(2026, 3, 1), new DateTime(2026, 3, 1));

    private WijkbeeldVerversen verversen = null!;
    private HotspotEngine hotspots = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        verversen = new WijkbeeldVerversen(
            DataSource,
            Options.Create(Opties),
            Options.Create(Engine),
            NullLogger<WijkbeeldVerversen>.Instance
        );
        hotspots = new HotspotEngine(DataSource, Options.Create(Engine));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(250)]
    public async Task Arithmetic_binning_gives_the_same_cells_as_ST_HexagonGrid(int zijde)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        // 3,000 random points in the municipality: the cell ST_HexagonGrid's polygons put them in,
        // the cell the SQL function hex_cel computes, and the point itself for the C# raster.
        var rijen = (
            await connection.QueryAsync<(double X, double Y, int GridI, int GridJ, int SqlI, int SqlJ)>(
                """
                WITH p AS (SELECT (ST_Dump(ST_GeneratePoints(geom, 3000, 20))).geom AS punt FROM gemeente)
                SELECT ST_X(p.punt), ST_Y(p.punt), h.i, h.j, c.i, c.j
                FROM p
                JOIN ST_HexagonGrid(@zijde, (SELECT geom FROM gemeente)) h ON ST_Intersects(h.geom, p.punt)
                CROSS JOIN LATERAL hex_cel(ST_X(p.punt), ST_Y(p.punt), @zijde) c
                """,
                new { zijde }
            )
        ).ToList();

        var raster = new HexRaster(zijde);
        Assert.Equal(3000, rijen.Count); // random points never lie exactly on an edge
        Assert.All(rijen, r =>
        {
            Assert.Equal((r.GridI, r.GridJ), (r.SqlI, r.SqlJ));
            Assert.Equal(new HexCel(r.GridI, r.GridJ), raster.Cel(r.X, r.Y));
        });
        // The grid cells the engine uses are exactly ST_HexagonGrid's cells touching the municipality.
        await verversen.VerversAsync();
        Assert.Equal(
            await connection.ExecuteScalarAsync<long>(
                """
                SELECT count(*) FROM ST_HexagonGrid(@zijde, (SELECT geom FROM gemeente)) h
                WHERE ST_Intersects(h.geom, (SELECT geom FROM gemeente))
                """,
                new { zijde }
            ),
            await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM hotspot_cel WHERE celgrootte = @zijde", new { zijde })
        );
    }

    /// <summary>The density of the background: 3,000 reports over the demo municipality's 9.7 km² of buurten.</summary>
    private const double AchtergrondPerKm2 = 3000 / 9.6997;

    /// <summary>The buurt of the planted drug-waste cluster (the others are public categories).</summary>
    private static readonly string DrugsBuurt = TestGemeente.VerreBuurten[3];

    /// <summary>
    /// Parking reports spread uniformly over the municipality (3,000 in the demo municipality, ~7 per 100 m
    /// hexagon; as dense in any other) plus three planted clusters of 60 youth-nuisance reports (Gaussian,
    /// σ = 25 m) and one of 80 drug-waste reports (a 'verborgen' category) in <see cref="TestGemeente.VerreBuurten"/>.
    /// Stated bound: on the 100 m grid Gi* flags every planted centre's cell hot at 99 %, and at most 2 % of
    /// background cells (centres over 400 m from every planted centre, so outside the planted cells'
    /// neighbourhoods) as hot at 90 % or more.
    /// </summary>
    [Fact]
    public async Task Gi_star_flags_planted_clusters_at_99_percent_and_hardly_any_background()
    {
        var (centra, achtergrondAantal) = await PlantAsync();
        await verversen.VerversAsync();

        var cellen = await hotspots.BerekenAsync(new HotspotFilter(100, Maart));
        var raster = new HexRaster(100);

        Assert.Equal(4, centra.Count);
        foreach (var (buurt, x, y) in centra.Where(c => c.Buurt != DrugsBuurt))
        {
            var cel = raster.Cel(x, y);
            var gevonden = cellen.Single(c => c.I == cel.I && c.J == cel.J);
            Assert.True(
                gevonden.Klasse == HotspotKlasse.Heet99,
                $"planted cluster in {buurt}: z = {gevonden.Z:0.00}, {gevonden.Aantal} reports"
            );
        }

        var achtergrond = cellen
            .Where(c =>
            {
                var m = raster.Middelpunt(new HexCel(c.I, c.J));
                return centra.All(p => Math.Sqrt(Math.Pow(m.X - p.X, 2) + Math.Pow(m.Y - p.Y, 2)) > 400);
            })
            .ToList();
        var vals = achtergrond.Count(c => c.Klasse >= HotspotKlasse.Heet90);
        Assert.True(achtergrond.Count > 300, $"{achtergrond.Count} background cells");
        Assert.True(vals <= achtergrond.Count * 0.02, $"{vals} of {achtergrond.Count} background cells flagged hot");

        // The drug-waste cluster is never public, but staff see it.
        var drugs = centra.Single(c => c.Buurt == DrugsBuurt);
        var drugsCel = raster.Cel(drugs.X, drugs.Y);
        Assert.NotEqual(HotspotKlasse.Heet99, cellen.Single(c => c.I == drugsCel.I && c.J == drugsCel.J).Klasse);
        var intern = await hotspots.BerekenAsync(new HotspotFilter(100, Maart, Publiek: false));
        Assert.Equal(HotspotKlasse.Heet99, intern.Single(c => c.I == drugsCel.I && c.J == drugsCel.J).Klasse);
        Assert.Equal(achtergrondAantal + 180, cellen.Sum(c => c.Aantal));
        Assert.Equal(achtergrondAantal + 260, intern.Sum(c => c.Aantal));
    }

    [Fact]
    public async Task Dbscan_finds_the_planted_clusters_with_their_extent_and_counts()
    {
        var (centra, _) = await PlantAsync();
        var clusters = await hotspots.ClustersAsync(new HotspotFilter(100, Maart));
        var factory = new GeometryFactory(new PrecisionModel(), 28992);

        var publiek = centra.Where(c => c.Buurt != DrugsBuurt).ToList();
        Assert.Equal(3, publiek.Count);
        foreach (var (buurt, x, y) in publiek)
        {
            var cluster = clusters.SingleOrDefault(c => c.Omhulsel.Covers(factory.CreatePoint(new Coordinate(x, y))));
            Assert.True(cluster is not null, $"no cluster around the planted centre in {buurt}");
            Assert.InRange(cluster.Aantal, 50, 80);
            Assert.Equal(buurt, cluster.BuurtCode);
            // Extent: σ = 25 m, so the hull spans well under 300 m.
            Assert.True(cluster.Omhulsel.EnvelopeInternal.Width < 300, $"hull {cluster.Omhulsel.EnvelopeInternal}");
        }
        // The three planted clusters are the largest; the drug-waste one is not public.
        Assert.All(clusters.Take(3), c => Assert.True(c.Aantal >= 50));
        Assert.DoesNotContain(clusters, c => c.BuurtCode == DrugsBuurt && c.Aantal >= 50);
        var intern = await hotspots.ClustersAsync(new HotspotFilter(100, Maart, Publiek: false));
        Assert.Contains(intern, c => c.BuurtCode == DrugsBuurt && c.Aantal >= 60);
    }

    /// <summary>Plants the background and the clusters; returns the clusters' centres and the background's size.</summary>
    private async Task<(List<(string Buurt, double X, double Y)> Centra, long Achtergrond)> PlantAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("SELECT setseed(0.42)");
        var achtergrond = (int)
            Math.Round(await connection.ExecuteScalarAsync<double>("SELECT ST_Area(ST_Union(geom)) FROM buurt") / 1e6 * AchtergrondPerKm2);
        // Background: uniform over the buurten (so every point is accepted by the trigger).
        // Raw on purpose: thousands of random points over a month, made in SQL (volume and a spatial distribution).
        await connection.ExecuteAsync(
            """
            INSERT INTO melding (rubriek_id, omschrijving, locatie, aangemaakt_op)
            SELECT (SELECT id FROM rubriek WHERE code = 'parkeeroverlast'), 'achtergrond', p.geom,
                   timestamptz '2026-03-01 08:00+01' + random() * interval '27 days'
            FROM (SELECT (ST_Dump(ST_GeneratePoints(ST_Union(geom), @achtergrond, 7))).geom FROM buurt) p
            """,
            new { achtergrond }
        );
        var centra = (
            await connection.QueryAsync<(string Buurt, double X, double Y)>(
                """
                SELECT code, ST_X(ST_PointOnSurface(geom)), ST_Y(ST_PointOnSurface(geom))
                FROM buurt WHERE code = ANY(@codes) ORDER BY code
                """,
                new { codes = TestGemeente.VerreBuurten.ToArray() }
            )
        ).ToList();
        foreach (var (buurt, x, y) in centra)
        {
            var drugs = buurt == DrugsBuurt;
            // Gaussian around the centre (Box-Muller), kept inside the municipality.
            // Raw on purpose: a random spatial distribution drawn in SQL.
            await connection.ExecuteAsync(
                """
                INSERT INTO melding (rubriek_id, omschrijving, locatie, aangemaakt_op)
                SELECT (SELECT id FROM rubriek WHERE code = @rubriek), 'cluster', p,
                       timestamptz '2026-03-01 20:00+01' + random() * interval '27 days'
                FROM (
                    SELECT ST_SetSRID(ST_MakePoint(@x + r * 25 * cos(a), @y + r * 25 * sin(a)), 28992) AS p
                    FROM generate_series(1, @aantal) i
                    CROSS JOIN LATERAL (SELECT sqrt(-2 * ln(1 - random() + i * 0)) AS r, 2 * pi() * random() AS a) g
                ) q
                WHERE EXISTS (SELECT 1 FROM buurt b WHERE ST_Covers(b.geom, q.p))
                """,
                new
                {
                    rubriek = drugs ? "drugsafval" : "jeugdoverlast",
                    x,
                    y,
                    aantal = drugs ? 80 : 60,
                }
            );
        }
        return (centra, achtergrond);
    }
}
