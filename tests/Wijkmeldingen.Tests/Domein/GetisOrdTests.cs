using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

public sealed class GetisOrdTests
{
    /// <summary>
    /// Five hexagons of a 100 m grid, cells (0,0) … (4,0). Their centres zig-zag: consecutive cells
    /// touch (centres √3 × 100 ≈ 173 m apart), the next-but-one are 300 m apart, so with a
    /// neighbour distance of 200 m every cell's neighbourhood is itself plus the cells beside it.
    ///
    /// Counts x = 1, 2, 3, 8, 6; n = 5.
    ///   X̄ = 20 / 5 = 4;  Σx² = 1 + 4 + 9 + 64 + 36 = 114;  S = √(114 / 5 − 4²) = √6.8 = 2.607681
    /// Cells 0 and 4 have 2 neighbours (w = 2), cells 1–3 have 3 (w = 3). The denominators:
    ///   w = 2: S · √((5·2 − 2²) / 4) = S · √1.5 = 3.193744
    ///   w = 3: S · √((5·3 − 3²) / 4) = S · √1.5 = 3.193744 (the same, by coincidence of n = 5)
    /// Numerators Σ w x − X̄ Σ w:
    ///   cell 0: (1 + 2) − 4·2 = −5            → z = −5 / 3.193744 = −1.565561
    ///   cell 1: (1 + 2 + 3) − 4·3 = −6        → z = −1.878673
    ///   cell 2: (2 + 3 + 8) − 12 = 1          → z = 0.313112
    ///   cell 3: (3 + 8 + 6) − 12 = 5          → z = 1.565561
    ///   cell 4: (8 + 6) − 8 = 6               → z = 1.878673
    /// Classes: |z| ≥ 1.645 is 90 %, so cell 4 is hot at 90 %, cell 1 cold at 90 %, the rest not significant.
    /// </summary>
    [Fact]
    public void Matches_a_hand_computed_example()
    {
        var raster = new HexRaster(100);
        var middelpunten = Enumerable.Range(0, 5).Select(i => raster.Middelpunt(new HexCel(i, 0))).Select(c => (c.X, c.Y)).ToList();

        var z = GetisOrd.GiStar(middelpunten, [1, 2, 3, 8, 6], afstand: 200);

        double[] verwacht = [-1.565561, -1.878673, 0.313112, 1.565561, 1.878673];
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(verwacht[i], z[i], 5);
        }
        Assert.Equal(
            [HotspotKlasse.Geen, HotspotKlasse.Koud90, HotspotKlasse.Geen, HotspotKlasse.Geen, HotspotKlasse.Heet90],
            z.Select(GetisOrd.Klasse).ToArray()
        );
    }

    /// <summary>
    /// A hot spot at 99 % by hand: 7 cells in a row (consecutive ones touching), counts
    /// 0, 0, 0, 30, 0, 0, 0. X̄ = 30/7 = 4.285714, Σx² = 900, S = √(900/7 − X̄²) = √(128.571429 − 18.367347) = 10.497813.
    /// Cell 3 (w = 3): numerator 30 − 3·X̄ = 17.142857; denominator S·√((7·3 − 9)/6) = S·√2 = 14.846149;
    /// z = 1.154700 → not significant: a single busy cell among six zeros is not a cluster in Gi*.
    /// With its neighbours busy too (0, 0, 20, 30, 20, 0, 0): X̄ = 10, Σx² = 1700, S = √(242.857143 − 100) = 11.952286;
    /// cell 3: numerator 70 − 30 = 40, denominator 11.952286·√2 = 16.903085, z = 2.366432 → hot at 95 %.
    /// </summary>
    [Fact]
    public void A_lone_peak_is_not_a_hotspot_but_a_busy_neighbourhood_is()
    {
        var raster = new HexRaster(100);
        var middelpunten = Enumerable.Range(0, 7).Select(i => raster.Middelpunt(new HexCel(i, 0))).Select(c => (c.X, c.Y)).ToList();

        var alleen = GetisOrd.GiStar(middelpunten, [0, 0, 0, 30, 0, 0, 0], 200);
        var buurt = GetisOrd.GiStar(middelpunten, [0, 0, 20, 30, 20, 0, 0], 200);

        Assert.Equal(1.154700, alleen[3], 5);
        Assert.Equal(HotspotKlasse.Geen, GetisOrd.Klasse(alleen[3]));
        Assert.Equal(2.366432, buurt[3], 5);
        Assert.Equal(HotspotKlasse.Heet95, GetisOrd.Klasse(buurt[3]));
    }

    [Theory]
    [InlineData(2.58, HotspotKlasse.Heet99)]
    [InlineData(2.0, HotspotKlasse.Heet95)]
    [InlineData(1.7, HotspotKlasse.Heet90)]
    [InlineData(1.6, HotspotKlasse.Geen)]
    [InlineData(-1.7, HotspotKlasse.Koud90)]
    [InlineData(-2.0, HotspotKlasse.Koud95)]
    [InlineData(-3.0, HotspotKlasse.Koud99)]
    public void Classes_follow_the_two_sided_normal_thresholds(double z, HotspotKlasse klasse) => Assert.Equal(klasse, GetisOrd.Klasse(z));

    [Fact]
    public void Equal_counts_everywhere_give_no_hotspots()
    {
        var raster = new HexRaster(100);
        var middelpunten = Enumerable.Range(0, 4).Select(i => raster.Middelpunt(new HexCel(i, 0))).Select(c => (c.X, c.Y)).ToList();
        Assert.All(GetisOrd.GiStar(middelpunten, [3, 3, 3, 3], 200), z => Assert.Equal(0, z));
    }

    [Fact]
    public void Hexagon_cells_round_trip_through_their_centres()
    {
        var raster = new HexRaster(250);
        for (var i = -3; i <= 3; i++)
        {
            for (var j = -3; j <= 3; j++)
            {
                var m = raster.Middelpunt(new HexCel(i, j));
                Assert.Equal(new HexCel(i, j), raster.Cel(m.X, m.Y));
                // Just inside each corner of the hexagon is still the same cell.
                var zeshoek = raster.Zeshoek(new HexCel(i, j), new NetTopologySuite.Geometries.GeometryFactory());
                foreach (var hoek in zeshoek.Coordinates.Take(6))
                {
                    Assert.Equal(new HexCel(i, j), raster.Cel(m.X + ((hoek.X - m.X) * 0.98), m.Y + ((hoek.Y - m.Y) * 0.98)));
                }
            }
        }
        Assert.Equal(Math.Sqrt(3) * 250, raster.BurenAfstand, 9);
    }
}
