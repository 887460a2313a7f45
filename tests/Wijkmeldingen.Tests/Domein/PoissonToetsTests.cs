using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Domein;

/// <summary>The statistics of "unusual for this place", without a database: the Poisson tail against
/// values summed exactly (60-digit decimal series of e^−λ λʲ / j!), Benjamini–Hochberg against
/// R's p.adjust(method = "BH"), and where a cell's expected count comes from.</summary>
public sealed class PoissonToetsTests
{
    [Theory]
    [InlineData(1, 1.0, 0.63212055882855767)] // 1 − e^−1
    [InlineData(5, 1.0, 0.0036598468273437122)]
    [InlineData(7, 7.0, 0.55028894415130114)] // a steady cell: its usual count is not unusual
    [InlineData(10, 3.5, 0.0033149442646323627)]
    [InlineData(20, 20.0, 0.52974273316076004)]
    [InlineData(100, 80.0, 0.017108313035133115)]
    [InlineData(40, 0.5, 6.8443959182881179e-61)] // a spike where half a report was expected
    public void Poisson_tail_matches_known_values(long k, double verwacht, double bekend)
    {
        var p = PoissonToets.Overschrijding(k, verwacht);

        Assert.Equal(bekend, p, bekend * 1e-9);
    }

    [Fact]
    public void Poisson_tail_edges_nothing_seen_nothing_expected_and_bad_input()
    {
        Assert.Equal(1.0, PoissonToets.Overschrijding(0, 3.0));
        Assert.Equal(1.0, PoissonToets.Overschrijding(0, 0.0));
        Assert.Equal(0.0, PoissonToets.Overschrijding(1, 0.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonToets.Overschrijding(-1, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonToets.Overschrijding(1, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PoissonToets.Overschrijding(1, double.NaN));
        // More seen, smaller tail.
        Assert.True(PoissonToets.Overschrijding(9, 4.0) < PoissonToets.Overschrijding(8, 4.0));
    }

    [Fact]
    public void Benjamini_Hochberg_matches_R_p_adjust()
    {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") = 0.02 0.04 0.04 0.02
        Assert.Equal([0.02, 0.04, 0.04, 0.02], PoissonToets.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005]), new Dichtbij());
        // p.adjust(c(0.5, 0.01), "BH") = 0.5 0.02
        Assert.Equal([0.5, 0.02], PoissonToets.BenjaminiHochberg([0.5, 0.01]), new Dichtbij());
        // p.adjust(c(0.9, 0.8, 0.95), "BH") = 0.95 0.95 0.95; never above 1
        Assert.Equal([0.95, 0.95, 0.95], PoissonToets.BenjaminiHochberg([0.9, 0.8, 0.95]), new Dichtbij());
        Assert.Equal([1.0, 1.0], PoissonToets.BenjaminiHochberg([1.0, 1.0]), new Dichtbij());
        Assert.Empty(PoissonToets.BenjaminiHochberg([]));
    }

    [Fact]
    public void Expected_counts_come_from_the_cells_own_history_else_the_municipality()
    {
        // Three months in the period, twelve of history: a quarter of the history is expected.
        var cellen = new OngewoonEngine.Telling[]
        {
            new(Aantal: 7, Historie: 28), // steady: 7 expected, 7 seen
            new(Aantal: 40, Historie: 0), // quiet until now: the municipality's rate per cell
            new(Aantal: 0, Historie: 12),
            new(Aantal: 2, Historie: 0), // below the minimum: not tested
        };

        var uit = OngewoonEngine.Toets(cellen, periodeMaanden: 3, historieMaanden: 12, minimum: 5, alfa: 0.05);

        Assert.Equal((7.0, Verwachting.Eigen), (uit[0].Verwacht, uit[0].Bron));
        Assert.Equal((40.0 / 4 / 4, Verwachting.Gemeente), (uit[1].Verwacht, uit[1].Bron)); // 40 in history / 4 cells / 4 periods
        Assert.Equal(3.0, uit[2].Verwacht);
        Assert.Null(uit[2].P);
        Assert.Null(uit[3].P);
        Assert.Equal(PoissonToets.Overschrijding(7, 7.0), uit[0].P);
        Assert.Equal(PoissonToets.Overschrijding(40, 2.5), uit[1].P);
        // Two cells tested: the spike's q is its p times 2 / 1.
        Assert.Equal(uit[1].P!.Value * 2, uit[1].Q!.Value, 1e-300);
        Assert.True(uit[0].Q > 0.5);
    }

    [Fact]
    public void Without_any_history_the_municipalitys_rate_in_the_period_is_expected()
    {
        var uit = OngewoonEngine.Toets([new(10, 0), new(0, 0), new(0, 0), new(2, 0)], 1, 0, 5, 0.05);

        Assert.All(uit, t => Assert.Equal((3.0, Verwachting.Periode), (t.Verwacht, t.Bron)));
        Assert.Equal(PoissonToets.Overschrijding(10, 3.0), uit[0].P);
        Assert.Equal(uit[0].P, uit[0].Q); // one cell tested: no correction
    }

    private sealed class Dichtbij : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) < 1e-12;

        public int GetHashCode(double obj) => 0;
    }
}
