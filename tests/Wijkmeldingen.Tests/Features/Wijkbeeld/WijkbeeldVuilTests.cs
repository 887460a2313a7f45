using Dapper;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Wijkbeeld;

/// <summary>The marks of dirty months (wijkbeeld_vuil, V80): a filing never waits for a running refresh
/// of the wijk picture, and a report filed while one runs is counted by the next.</summary>
public sealed class WijkbeeldVuilTests : DatabaseTest
{
    private const string DezeMaand = "SELECT coalesce(sum(aantal), 0)::int FROM wijkbeeld_maand WHERE maand = wijkbeeld_maand_van(now())";

    [Fact]
    public async Task A_filing_during_a_running_refresh_does_not_wait_for_it_and_the_next_refresh_counts_it()
    {
        await LeegAsync();
        await Een.Melding(DataSource).Rubriek("parkeeroverlast").OpgeslagenAsync();
        await using var ververs = await EigenaarDataSource.OpenConnectionAsync();
        await using var transactie = await ververs.BeginTransactionAsync();
        Assert.Equal(1, await ververs.ExecuteScalarAsync<int>("SELECT wijkbeeld_ververs('{100,250}')", transaction: transactie));

        // The refresh has deleted this month's mark and holds its transaction open: a filing in the
        // same month must not wait for it (it used to, on the mark's unique key, until the refresh committed).
        var melden = Een.Melding(DataSource).Rubriek("jeugdoverlast").OpgeslagenAsync();
        var eerst = await Task.WhenAny(melden, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.Same(melden, eerst);
        await melden;

        await transactie.CommitAsync();
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        // The refresh saw only the first report; the second report's mark stayed for the next refresh.
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>(DezeMaand));
        Assert.True(await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM wijkbeeld_vuil") >= 1);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT wijkbeeld_ververs('{100,250}')"));
        Assert.Equal(2, await connection.ExecuteScalarAsync<int>(DezeMaand));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM wijkbeeld_vuil"));
    }

    [Fact]
    public async Task Many_marks_of_one_month_are_recomputed_once()
    {
        await LeegAsync();
        for (var i = 0; i < 5; i++)
        {
            await Een.Melding(DataSource).Rubriek("parkeeroverlast").OpgeslagenAsync();
        }
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        Assert.True(await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM wijkbeeld_vuil") >= 5);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT wijkbeeld_ververs('{100,250}')"));
        Assert.Equal(5, await connection.ExecuteScalarAsync<int>(DezeMaand));
    }

    // No marks left from the template's set-up: a refresh takes them.
    private async Task LeegAsync()
    {
        await using var connection = await EigenaarDataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("SELECT wijkbeeld_ververs('{100,250}')");
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM wijkbeeld_vuil"));
    }
}
