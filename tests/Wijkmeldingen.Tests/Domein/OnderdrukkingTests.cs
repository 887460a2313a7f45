using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Wijkbeeld;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

public sealed class OnderdrukkingTests
{
    [Fact]
    public void Counts_below_the_threshold_are_suppressed_zero_included()
    {
        var groep = Onderdrukking.Groep([0, 4, 5, 12], drempel: 5);

        Assert.Equal([true, true, false, false], groep.Select(a => a.Onderdrukt).ToArray());
        Assert.Null(groep[1].Zichtbaar);
        Assert.Equal(5, groep[2].Zichtbaar);
    }

    [Fact]
    public void A_single_suppressed_sibling_takes_the_smallest_other_with_it()
    {
        // Total 33 is shown; with only "3" hidden it would be 33 − 10 − 20. So 10 goes too.
        var groep = Onderdrukking.Groep([10, 3, 20], drempel: 5);

        Assert.Equal([true, true, false], groep.Select(a => a.Onderdrukt).ToArray());
        // A lone hidden zero reveals nobody: the others stay visible.
        Assert.Equal([false, true, false], Onderdrukking.Groep([10, 0, 20], 5).Select(a => a.Onderdrukt).ToArray());
    }

    [Fact]
    public void Staff_figures_are_never_suppressed()
    {
        Assert.All(Onderdrukking.Groep([1, 2, 30], 5, publiek: false), a => Assert.False(a.Onderdrukt));
    }

    [Fact]
    public void Derived_figures_of_a_suppressed_count_are_left_out()
    {
        var regel = new Regel("rubriek", "x", "X", new Aantal(3, true), new Aantal(10, false), 1000) { Gesloten = 3, Heropend = 1 };

        Assert.Null(regel.Per1000);
        Assert.Null(regel.Verandering);
        Assert.Null(regel.AandeelAfgehandeld);
        Assert.Null(regel.AandeelHeropend);
        Assert.Equal(10.0, regel.Per1000Vorig);
    }

    [Fact]
    public void Median_days_come_from_the_histogram()
    {
        // 9 reports handled after 2 days, 11 after 6: the 10th of 20 is in the 6-day bucket.
        var histogram = new long[181];
        histogram[2] = 9;
        histogram[6] = 11;
        Assert.Equal(6, Onderdrukking.Mediaan(histogram));
        Assert.Null(Onderdrukking.Mediaan(new long[181]));
    }
}

public sealed class PeriodeTests
{
    private static readonly DateTime Vandaag = new(2026, 11, 27, 0, 0, 0, DateTimeKind.Unspecified);

    [Fact]
    public void Default_is_the_last_complete_quarter()
    {
        var p = Periode.Lees(null, null, null, null, null, null, Vandaag);
        Assert.Equal((new DateTime(2026, 7, 1), new DateTime(2026, 9, 1)), (p.Van, p.Tot));
        Assert.Equal((new DateTime(2026, 4, 1), new DateTime(2026, 6, 1)), (p.Vorige.Van, p.Vorige.Tot));
    }

    [Theory]
    [InlineData("maand", "2026-02", null, null, null, null, "2026-02", "2026-02", "2026-01", "2026-01")]
    [InlineData("kwartaal", null, "2026-1", null, null, null, "2026-01", "2026-03", "2025-10", "2025-12")]
    [InlineData("jaar", null, null, "2025", null, null, "2025-01", "2025-12", "2024-01", "2024-12")]
    [InlineData("vrij", null, null, null, "2025-11", "2026-02", "2025-11", "2026-02", "2025-07", "2025-10")]
    public void Each_kind_of_period_is_compared_with_the_equally_long_one_before(
        string soort,
        string? maand,
        string? kwartaal,
        string? jaar,
        string? van,
        string? tot,
        string verwachtVan,
        string verwachtTot,
        string vorigVan,
        string vorigTot
    )
    {
        var p = Periode.Lees(soort, maand, kwartaal, jaar, van, tot, Vandaag);

        Assert.Equal((verwachtVan, verwachtTot), (p.Van.ToString("yyyy-MM"), p.Tot.ToString("yyyy-MM")));
        Assert.Equal((vorigVan, vorigTot), (p.Vorige.Van.ToString("yyyy-MM"), p.Vorige.Tot.ToString("yyyy-MM")));
        Assert.Equal(p.Maanden, p.Vorige.Maanden);
    }

    [Fact]
    public void Nonsense_gives_the_default_and_a_free_period_is_capped()
    {
        Assert.Equal(Periode.Standaard(Vandaag), Periode.Lees("maand", "gisteren", null, null, null, null, Vandaag));
        Assert.Equal(Periode.Standaard(Vandaag), Periode.Lees("vrij", null, null, null, "2026-05", "2026-01", Vandaag));
        Assert.Equal(Periode.MaxMaanden, Periode.Lees("vrij", null, null, null, "2001-01", "2026-01", Vandaag).Maanden);
    }
}
