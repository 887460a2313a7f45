using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Domein;

/// <summary>Photos of closed reports are removed after Database:BewaarFotoDagen (365 by default;
/// 0 keeps them); open reports keep theirs.</summary>
public sealed class FotoRetentieTests : DatabaseTest
{
    private async Task<long> MeldingMetFoto(string status, int dagenGeleden) =>
        (
            await Een.Melding(DataSource)
                .Rubriek("jeugdoverlast")
                .Met("Vernielde bank in het park, foto erbij.")
                .Fotos(new MeldingOpslaan.Foto(TestFotos.Jpeg(64, 48), 64, 48))
                .Status(status)
                .GewijzigdOp(DateTimeOffset.UtcNow.AddDays(-dagenGeleden))
                .OpgeslagenAsync()
        ).Id;

    private async Task<long> Fotos(long id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding_foto WHERE melding_id = @id", new { id });
    }

    [Fact]
    public async Task Photos_of_reports_closed_long_enough_ago_are_removed()
    {
        var oudGesloten = await MeldingMetFoto("afgehandeld", 400);
        var kortGesloten = await MeldingMetFoto("afgewezen", 30);
        var oudOpen = await MeldingMetFoto("in-behandeling", 400);

        var verwijderd = await Bewaartermijnen.FotosRegel.EenKeerAsync(DataSource, CancellationToken.None);

        Assert.Equal(1, verwijderd);
        Assert.Equal(0, await Fotos(oudGesloten));
        Assert.Equal(1, await Fotos(kortGesloten));
        Assert.Equal(1, await Fotos(oudOpen));
    }

    [Fact]
    public async Task Zero_days_keeps_photos_for_good()
    {
        var oudGesloten = await MeldingMetFoto("afgehandeld", 4000);
        await using var bewaren = Wijkmeldingen.Web.Data.Database.CreateDataSource(
            Database.ConnectionString,
            new DatabaseOptions { BewaarFotoDagen = 0, Gemeente = TestGemeente.Code }
        );

        var verwijderd = await Bewaartermijnen.FotosRegel.EenKeerAsync(bewaren, CancellationToken.None);

        Assert.Equal(0, verwijderd);
        Assert.Equal(1, await Fotos(oudGesloten));
    }
}
