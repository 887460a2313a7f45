using Dapper;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>Handling targets in working days skip weekends and Dutch public holidays (V14).</summary>
public sealed class FeestdagenTests : DatabaseTest
{
    private async Task<DateTimeOffset> Termijn(string vanaf, int dagen, bool werkdagen = true)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return
            await connection.QuerySingleAsync<DateTime>(
                "SELECT plus_termijn(@vanaf::timestamptz, @dagen, @werkdagen)",
                new
                {
                    vanaf,
                    dagen,
                    werkdagen,
                }
            )
                is var utc
            ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc))
            : default;
    }

    [Theory]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2038, "2038-04-25")]
    public async Task Easter_is_computed(int jaar, string pasen)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            DateOnly.Parse(pasen, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.FromDateTime(await connection.QuerySingleAsync<DateTime>("SELECT paaszondag(@jaar)", new { jaar }))
        );
    }

    [Fact]
    public async Task The_holidays_of_2026_and_koningsdag_on_a_sunday()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var feestdagen = (
            await connection.QueryAsync<DateTime>(
                """
                SELECT d::date FROM generate_series('2026-01-01'::date, '2026-12-31'::date, '1 day') d
                WHERE is_feestdag(d::date) ORDER BY d
                """
            )
        ).AsList();
        Assert.Equal(
            ["2026-01-01", "2026-04-06", "2026-04-27", "2026-05-05", "2026-05-14", "2026-05-25", "2026-12-25", "2026-12-26"],
            feestdagen.Select(d => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
        );
        // 27 April 2025 was a Sunday: Koningsdag was on Saturday the 26th.
        Assert.True(await connection.QuerySingleAsync<bool>("SELECT is_feestdag('2025-04-26')"));
        Assert.False(await connection.QuerySingleAsync<bool>("SELECT is_feestdag('2025-04-27')"));
    }

    [Fact]
    public async Task Working_day_targets_skip_christmas_and_the_may_holidays()
    {
        // Thursday 24 December 2026 + 1 working day: 25 and 26 Dec, then the weekend -> Monday 28 Dec.
        Assert.Equal(
            DateTimeOffset.Parse("2026-12-28T10:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture),
            await Termijn("2026-12-24 10:00 Europe/Amsterdam", 1)
        );
        // Tuesday 4 May 2027 + 1: Bevrijdingsdag (Wed 5 May) and Hemelvaart (Thu 6 May) -> Friday 7 May.
        Assert.Equal(
            DateTimeOffset.Parse("2027-05-07T09:30:00+02:00", System.Globalization.CultureInfo.InvariantCulture),
            await Termijn("2027-05-04 09:30 Europe/Amsterdam", 1)
        );
        // Good Friday 3 April 2026 (a working day) + 1: the weekend and 2e Paasdag (Monday 6 April) -> Tuesday 7 April.
        Assert.Equal(
            DateTimeOffset.Parse("2026-04-07T12:00:00+02:00", System.Globalization.CultureInfo.InvariantCulture),
            await Termijn("2026-04-03 12:00 Europe/Amsterdam", 1)
        );
        // Calendar days ignore holidays.
        Assert.Equal(
            DateTimeOffset.Parse("2026-12-25T10:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture),
            await Termijn("2026-12-24 10:00 Europe/Amsterdam", 1, werkdagen: false)
        );
    }

    [Fact]
    public async Task A_new_report_gets_a_target_that_skips_the_holiday()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        // Woonoverlast: 10 working days. Filed Monday 21 December 2026: 22, 23, 24, (25, 26, 27 off), 28, 29, 30, 31,
        // (1 Jan off, 2, 3 weekend), 4, 5, 6 January -> Wednesday 6 January 2027.
        // Raw on purpose: the insert trigger computes the target date from aangemaakt_op, which must be this Monday.
        var streefdatum = await connection.QuerySingleAsync<DateTime>(
            """
            INSERT INTO melding (rubriek_id, omschrijving, locatie, aangemaakt_op)
            VALUES ((SELECT id FROM rubriek WHERE code = 'woonoverlast'), 'Test',
                    ST_Transform(ST_SetSRID(ST_MakePoint(@Lon, @Lat), 4326), 28992),
                    '2026-12-21 11:00 Europe/Amsterdam')
            RETURNING streefdatum
            """,
            new { TestGemeente.Lat, TestGemeente.Lon }
        );
        Assert.Equal(
            DateTimeOffset.Parse("2027-01-06T11:00:00+01:00", System.Globalization.CultureInfo.InvariantCulture).UtcDateTime,
            streefdatum
        );
    }
}
