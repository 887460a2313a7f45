using Dapper;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Domein;

/// <summary>Retention by the law (issue 21), on a fixed clock: a withdrawn report is deleted
/// Database:BewaarIngetrokkenDagen (365) days after withdrawal; a handled report is anonymised
/// Database:AnonimiseerNaJaren (5) years after closing, and the statistics stay as they were.</summary>
public sealed class BewaartermijnenTests : DatabaseTest
{
    /// <summary>A clock that stands still at one moment.</summary>
    private sealed class VasteKlok(DateTimeOffset nu) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => nu;
    }

    private static readonly DateTimeOffset Nu = new(2027, 3, 15, 10, 0, 0, TimeSpan.Zero);
    private static readonly VasteKlok Klok = new(Nu);
    private static readonly DatabaseOptions Standaard = new();

    private async Task<long> Melding(string status, DateTimeOffset aangemaakt, DateTimeOffset gesloten, string? email = null) =>
        (
            await Een.Melding(DataSource)
                .Met("Mijn buurman Jan de Vries op nummer 12 zet zijn auto steeds op de stoep.")
                .Verschoven(37, -21)
                .Email(email, email is null ? null : "Jan Melder", email is null ? null : "0612345678")
                .Fotos(new MeldingOpslaan.Foto(TestFotos.Jpeg(64, 48), 64, 48))
                .AangemaaktOp(aangemaakt)
                .Status(status)
                .GewijzigdOp(gesloten)
                .OpgeslagenAsync()
        ).Id;

    private async Task<long> Tel(string sql, long id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, new { id });
    }

    private Task<int> Ingetrokken(DatabaseOptions? opties = null) =>
        Bewaartermijnen.IngetrokkenRegel(opties ?? Standaard, Klok).EenKeerAsync(DataSource, CancellationToken.None);

    private Task<int> Anonimiseren(DatabaseOptions? opties = null) =>
        Bewaartermijnen.AnonimiserenRegel(opties ?? Standaard, Klok).EenKeerAsync(DataSource, CancellationToken.None);

    [Fact]
    public async Task Withdrawn_report_364_days_after_withdrawal_is_kept_and_366_days_is_deleted()
    {
        var bewaard = await Melding("ingetrokken", Nu.AddDays(-400), Nu.AddDays(-364));
        var weg = await Melding("ingetrokken", Nu.AddDays(-400), Nu.AddDays(-366), "melder@example.org");
        // A report marked as a duplicate of the withdrawn one loses the link, not its life.
        var dubbel = await Een.Melding(DataSource).OpgeslagenAsync();
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync("UPDATE melding SET hoofdmelding_id = @weg WHERE id = @dubbel", new { weg, dubbel = dubbel.Id });
        }

        var verwijderd = await Ingetrokken();

        Assert.Equal(1, verwijderd);
        Assert.Equal(1, await Tel("SELECT count(*) FROM melding WHERE id = @id", bewaard));
        Assert.Equal(0, await Tel("SELECT count(*) FROM melding WHERE id = @id", weg));
        Assert.Equal(0, await Tel("SELECT count(*) FROM melding_foto WHERE melding_id = @id", weg));
        Assert.Equal(0, await Tel("SELECT count(*) FROM melder_contact WHERE melding_id = @id", weg));
        Assert.Equal(0, await Tel("SELECT count(*) FROM melding WHERE hoofdmelding_id IS NOT NULL AND id = @id", dubbel.Id));
        Assert.Equal(0, await Ingetrokken());
    }

    [Fact]
    public async Task Withdrawn_term_follows_the_option()
    {
        var melding = await Melding("ingetrokken", Nu.AddDays(-100), Nu.AddDays(-31));

        Assert.Equal(0, await Ingetrokken(new DatabaseOptions { BewaarIngetrokkenDagen = 32 }));
        Assert.Equal(1, await Ingetrokken(new DatabaseOptions { BewaarIngetrokkenDagen = 30 }));
        Assert.Equal(0, await Tel("SELECT count(*) FROM melding WHERE id = @id", melding));
    }

    [Fact]
    public async Task Handled_report_5_years_after_closing_is_anonymised_with_its_fields()
    {
        var oud = await Melding("afgehandeld", Nu.AddYears(-6), Nu.AddYears(-5).AddDays(-1), "melder@example.org");
        var bijna = await Melding("afgewezen", Nu.AddYears(-6), Nu.AddYears(-5).AddDays(1), "ander@example.org");
        await using var connection = await DataSource.OpenConnectionAsync();
        foreach (var id in new[] { oud, bijna })
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO melding_aanvulling (melding_id, tekst) VALUES (@id, 'Het was weer Jan, kenteken 12-ABC-3.');
                INSERT INTO melding_notitie (melding_id, door, tekst) VALUES (@id, 'Medewerker', 'Bekende van ons, zie dossier.');
                INSERT INTO melding_volger (melding_id, email, sleutel_hash) VALUES (@id, 'volger@example.org', '\x01');
                INSERT INTO melding_verzoek (melding_id, soort, toelichting)
                VALUES (@id, 'persoonsgegevens-verwijderen', 'Mijn naam staat erin.');
                WITH h AS (
                    INSERT INTO melding_historie (melding_id, van_status, naar_status, door, bericht)
                    VALUES (@id, 'gemeld', 'afgehandeld', 'Medewerker', 'Beste Jan, wij hebben de eigenaar gesproken.')
                    RETURNING id)
                INSERT INTO melding_beoordeling (melding_id, historie_id, sleutel_hash, geldig_tot, tevreden, toelichting, gegeven_op)
                SELECT @id, h.id, sha256(@id::text::bytea), now(), false, 'Mijn buurman doet het nog steeds.', now() FROM h;
                UPDATE melding SET omschrijving_publiek = 'Auto op de stoep', bedrijfsnaam = 'Bakkerij Jansen' WHERE id = @id;
                """,
                new { id }
            );
        }
        var plekVoor = await connection.QuerySingleAsync<(double X, double Y, string Buurt)>(
            "SELECT ST_X(locatie), ST_Y(locatie), buurt_code FROM melding WHERE id = @oud",
            new { oud }
        );

        var geanonimiseerd = await Anonimiseren();

        Assert.Equal(1, geanonimiseerd);
        var na = await connection.QuerySingleAsync<(string Omschrijving, string? Publiek, string? Bedrijf, DateTime? Op, string Status)>(
            "SELECT omschrijving, omschrijving_publiek, bedrijfsnaam, geanonimiseerd_op, status FROM melding WHERE id = @oud",
            new { oud }
        );
        Assert.Equal("", na.Omschrijving);
        Assert.Null(na.Publiek);
        Assert.Null(na.Bedrijf);
        Assert.Equal(Nu.UtcDateTime, na.Op);
        Assert.Equal("afgehandeld", na.Status);
        foreach (var tabel in new[] { "melding_aanvulling", "melding_notitie", "melding_volger", "melder_contact", "melding_foto" })
        {
            Assert.Equal(0, await Tel($"SELECT count(*) FROM {tabel} WHERE melding_id = @id", oud));
            Assert.Equal(1, await Tel($"SELECT count(*) FROM {tabel} WHERE melding_id = @id", bijna));
        }
        // Remarks and messages are emptied; the rows (who, when, the answer) stay.
        Assert.Equal(1, await Tel("SELECT count(*) FROM melding_beoordeling WHERE melding_id = @id AND toelichting IS NULL", oud));
        Assert.Equal(1, await Tel("SELECT count(*) FROM melding_beoordeling WHERE melding_id = @id AND tevreden = false", oud));
        Assert.Equal(1, await Tel("SELECT count(*) FROM melding_verzoek WHERE melding_id = @id AND toelichting IS NULL", oud));
        Assert.Equal(0, await Tel("SELECT count(*) FROM melding_historie WHERE melding_id = @id AND bericht IS NOT NULL", oud));
        Assert.Equal(1, await Tel("SELECT count(*) FROM melding_historie WHERE melding_id = @id AND naar_status = 'afgehandeld'", oud));
        // The exact place became the buurt's point on surface; the buurt itself stayed.
        var plekNa = await connection.QuerySingleAsync<(double X, double Y, string Buurt, bool BuurtPunt)>(
            """
            SELECT ST_X(m.locatie), ST_Y(m.locatie), m.buurt_code, ST_Equals(m.locatie, ST_PointOnSurface(b.geom))
            FROM melding m JOIN buurt b ON b.code = m.buurt_code WHERE m.id = @oud
            """,
            new { oud }
        );
        Assert.Equal(plekVoor.Buurt, plekNa.Buurt);
        Assert.True(plekNa.BuurtPunt);
        Assert.NotEqual((plekVoor.X, plekVoor.Y), (plekNa.X, plekNa.Y));
        // The other report keeps everything; a second round changes nothing.
        Assert.Equal(
            1,
            await Tel("SELECT count(*) FROM melding WHERE id = @id AND geanonimiseerd_op IS NULL AND omschrijving <> ''", bijna)
        );
        Assert.Equal(0, await Anonimiseren());
    }

    [Fact]
    public async Task Open_report_is_never_anonymised()
    {
        var open = await Melding("in-behandeling", Nu.AddYears(-12), Nu.AddYears(-11));
        var heropend = await Melding("heropend", Nu.AddYears(-12), Nu.AddYears(-11));

        Assert.Equal(0, await Anonimiseren());
        Assert.Equal(0, await Ingetrokken());
        foreach (var id in new[] { open, heropend })
        {
            Assert.Equal(
                1,
                await Tel("SELECT count(*) FROM melding WHERE id = @id AND geanonimiseerd_op IS NULL AND omschrijving <> ''", id)
            );
            Assert.Equal(1, await Tel("SELECT count(*) FROM melding_foto WHERE melding_id = @id", id));
        }
    }

    [Fact]
    public async Task Photos_of_an_anonymised_report_are_gone()
    {
        var oud = await Melding("afgehandeld", Nu.AddYears(-7), Nu.AddYears(-6));
        // Photos kept for good (0) still go when the report is anonymised.
        var opties = new DatabaseOptions { BewaarFotoDagen = 0 };

        Assert.Equal(1, await Anonimiseren(opties));

        Assert.Equal(0, await Tel("SELECT count(*) FROM melding_foto WHERE melding_id = @id", oud));
    }

    [Fact]
    public async Task Statistics_are_unchanged_before_and_after_anonymising()
    {
        var maand = Nu.AddYears(-6);
        foreach (var (rubriek, dx, status) in new[] { ("parkeeroverlast", 10, "afgehandeld"), ("jeugdoverlast", 300, "afgewezen") })
        {
            for (var i = 0; i < 3; i++)
            {
                await Een.Melding(DataSource)
                    .Rubriek(rubriek)
                    .Verschoven(dx + 40 * i, 60 * i)
                    .AangemaaktOp(maand.AddDays(i))
                    .AfgehandeldNa(TimeSpan.FromDays(2 + i))
                    .Status(status)
                    .GewijzigdOp(maand.AddDays(10))
                    .OpgeslagenAsync();
            }
        }
        await Een.Melding(DataSource).AangemaaktOp(maand.AddDays(3)).Status("in-behandeling").OpgeslagenAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        const string Wijkbeeld = """
            SELECT maand, buurt_code, wijk_code, rubriek_id, aantal, gesloten, heropend, afgehandeld,
                   array_to_string(doorlooptijd, ','), array_to_string(weekuur, ',')
            FROM wijkbeeld_maand ORDER BY maand, buurt_code, rubriek_id
            """;
        const string Hotspots = """
            SELECT celgrootte, maand, rubriek_id, gesloten, sum(aantal)::int FROM hotspot_maand
            GROUP BY celgrootte, maand, rubriek_id, gesloten ORDER BY 1, 2, 3, 4
            """;
        await connection.ExecuteAsync("SELECT wijkbeeld_ververs('{100,250}')");
        var wijkbeeldVoor = (await connection.QueryAsync(Wijkbeeld))
            .Select(r => string.Join('|', ((IDictionary<string, object>)r).Values))
            .ToList();
        var hotspotsVoor = (await connection.QueryAsync(Hotspots))
            .Select(r => string.Join('|', ((IDictionary<string, object>)r).Values))
            .ToList();

        Assert.Equal(6, await Anonimiseren());
        await connection.ExecuteAsync("SELECT wijkbeeld_ververs('{100,250}')");

        var wijkbeeldNa = (await connection.QueryAsync(Wijkbeeld))
            .Select(r => string.Join('|', ((IDictionary<string, object>)r).Values))
            .ToList();
        var hotspotsNa = (await connection.QueryAsync(Hotspots))
            .Select(r => string.Join('|', ((IDictionary<string, object>)r).Values))
            .ToList();
        Assert.NotEmpty(wijkbeeldVoor);
        Assert.Equal(wijkbeeldVoor, wijkbeeldNa);
        // Hotspot cells of those months now hold the buurt points, but every count per month stays.
        Assert.Equal(hotspotsVoor, hotspotsNa);
        Assert.Equal(7, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding"));
    }

    [Fact]
    public async Task The_background_round_runs_the_rules_on_the_portals_clock()
    {
        var weg = await Melding("ingetrokken", Nu.AddDays(-500), Nu.AddDays(-400));
        var oud = await Melding("afgehandeld", Nu.AddYears(-7), Nu.AddYears(-6));
        var nieuw = await Melding("afgehandeld", Nu.AddYears(-2), Nu.AddYears(-1));

        // Starting the portal starts Data.Opschonen, whose first round runs at once on the portal's clock.
        await using var app = new WijkAppFactory(Database.ConnectionString).WithWebHostBuilder(b =>
            b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Klok))
        );
        var opschonen = app.Services.GetServices<IHostedService>().OfType<Opschonen>().Single();
        var tot = DateTime.UtcNow.AddSeconds(60);
        while (
            DateTime.UtcNow < tot
            && (
                await Tel("SELECT count(*) FROM melding WHERE id = @id", weg) > 0
                || await Tel("SELECT count(*) FROM melding WHERE id = @id AND geanonimiseerd_op IS NULL", oud) > 0
            )
        )
        {
            await Task.Delay(200);
        }

        Assert.Equal(0, await Tel("SELECT count(*) FROM melding WHERE id = @id", weg));
        Assert.Equal(1, await Tel("SELECT count(*) FROM melding WHERE id = @id AND geanonimiseerd_op IS NOT NULL", oud));
        Assert.Equal(1, await Tel("SELECT count(*) FROM melding WHERE id = @id AND geanonimiseerd_op IS NULL", nieuw));
        // A further round finds nothing left to do.
        var ronde = await opschonen.EenRondeAsync(CancellationToken.None);
        Assert.Equal(0, ronde[Bewaartermijnen.Ingetrokken]);
        Assert.Equal(0, ronde[Bewaartermijnen.Anonimiseren]);
    }

    [Fact]
    public async Task Staff_see_that_an_anonymised_report_was_anonymised()
    {
        var oud = await Melding("afgehandeld", Nu.AddYears(-7), Nu.AddYears(-6));
        Assert.Equal(1, await Anonimiseren());
        await using var app = new WijkAppFactory(Database.ConnectionString);
        await BeheerAccounts.MaakAsync(app.Services, "wijkagent@voorbeeld.example", "Wim Wijkagent", Rollen.Wijkprofessional);
        var wijkagent = await BeheerAccounts.IngelogdAsync(app, "wijkagent@voorbeeld.example");

        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{oud}");

        Assert.Contains("id=\"omschrijving-geanonimiseerd\"", pagina.Html);
        Assert.Contains("Deze melding is geanonimiseerd volgens de bewaartermijn", System.Net.WebUtility.HtmlDecode(pagina.Html));
        Assert.DoesNotContain("Jan de Vries", pagina.Html);
    }
}
