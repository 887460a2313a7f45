using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Tests.Data;

/// <summary>Progress of long commands (seed, address import, migrations): a bar on a terminal, plain
/// percentage lines in a log.</summary>
public sealed class VoortgangTests
{
    [Theory]
    [InlineData(0, 10, 0)]
    [InlineData(1, 3, 33)]
    [InlineData(2, 3, 66)]
    [InlineData(999, 1000, 99)]
    [InlineData(1000, 1000, 100)]
    [InlineData(1200, 1000, 100)]
    [InlineData(-5, 1000, 0)]
    [InlineData(0, 0, 100)]
    public void Percentage_rounds_down_and_stays_within_0_and_100(long gedaan, long totaal, int verwacht) =>
        Assert.Equal(verwacht, Voortgang.Percentage(gedaan, totaal));

    [Fact]
    public void The_bar_fills_in_proportion()
    {
        Assert.Equal("[----------]", Voortgang.Balk(0, 10));
        Assert.Equal("[####------]", Voortgang.Balk(45, 10));
        Assert.Equal("[##########]", Voortgang.Balk(100, 10));
        Assert.Equal("[##########]", Voortgang.Balk(150, 10));
    }

    [Fact]
    public void In_a_log_it_writes_a_line_per_step_of_ten_percent_and_per_stage_not_per_report()
    {
        var uit = new StringWriter();
        var voortgang = new Voortgang("import", uit, terminal: false);

        for (var i = 0; i <= 1000; i += 7)
        {
            voortgang.Meld(i, 1000, "lezen");
        }
        voortgang.Meld(1000, 1000, "opslaan");
        voortgang.Klaar("klaar");
        voortgang.Klaar("klaar");

        var regels = uit.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain("\r", uit.ToString(), StringComparison.Ordinal);
        Assert.Equal("import: 0% 0/1,000 lezen", regels[0]);
        Assert.Equal(
            [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 100],
            regels.Select(r => int.Parse(r.Split(' ')[1].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture)).ToArray()
        );
        Assert.EndsWith("opslaan", regels[^2], StringComparison.Ordinal);
        Assert.Equal("import: 100% klaar", regels[^1]);
    }

    [Fact]
    public void On_a_terminal_it_redraws_one_bar_in_place_and_ends_the_line_when_done()
    {
        var uit = new StringWriter();
        var voortgang = new Voortgang("seed", uit, terminal: true);

        voortgang.MeldPercentage(0, "meldingen (5000)");
        voortgang.MeldPercentage(0, "meldingen (5000)");
        voortgang.MeldPercentage(60, "wandelingen");
        voortgang.Klaar();

        var tekst = uit.ToString();
        var tekeningen = tekst.Split('\r', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, tekeningen.Length);
        Assert.StartsWith("seed [", tekeningen[0], StringComparison.Ordinal);
        Assert.Contains("  0% meldingen (5000)", tekeningen[0], StringComparison.Ordinal);
        Assert.Contains(" 60% wandelingen", tekeningen[1], StringComparison.Ordinal);
        // The shorter last bar overwrites the longer one before it completely.
        Assert.True(tekeningen[2].TrimEnd('\r', '\n').Length >= tekeningen[1].Length);
        Assert.Contains(Voortgang.Balk(100), tekeningen[2], StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, tekst, StringComparison.Ordinal);
        Assert.Single(tekst.Split(Environment.NewLine)[..^1]);
    }

    [Fact]
    public void Pending_migrations_are_in_the_order_Evolve_runs_them_and_applied_ones_are_left_out()
    {
        string[] bestanden = ["V10__b.sql", "V2__a.sql", "R__gebieden.sql", "V9__c.sql", "V1__x.sql", "V1_1__y.sql", "leesmij.txt"];

        var wachtend = DatabaseMigrator.Wachtend(bestanden, new HashSet<string> { "V1__x.sql", "V9__c.sql" });

        Assert.Equal(["V1_1__y.sql", "V2__a.sql", "V10__b.sql", "R__gebieden.sql"], wachtend);
    }

    [Theory]
    [InlineData("Successfully applied migration V1__extensions.sql in 1491 ms.", true)]
    [InlineData("Successfully executed migration R__gebieden_heemstede.sql in 12 ms.", true)]
    [InlineData("Executing Migrate...", false)]
    [InlineData("Database migrated to version 55. 29 migration(s) applied in 4000 ms.", false)]
    public void Evolve_reports_each_applied_migration(string message, bool toegepast) =>
        Assert.Equal(toegepast, DatabaseMigrator.IsToegepast(message));
}
