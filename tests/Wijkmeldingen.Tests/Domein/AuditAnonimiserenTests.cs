using System.Net;
using Dapper;
using Npgsql;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Domein;

/// <summary>
/// The audit trail of an anonymised or deleted report (issue 21, V69): staff leave a note, adjust the
/// place and close the report with a message through the staff pages; the clean-up rules, on a clock
/// years later, anonymise it (or delete it when withdrawn) and the audit rows then hold none of those
/// texts nor the exact place, while who did what and when stays. The app role still cannot UPDATE or
/// DELETE audit rows itself, and the blanking function refuses reports that are not anonymised.
/// </summary>
public sealed class AuditAnonimiserenTests : AppTest
{
    private const string InsufficientPrivilege = "42501";
    private const string Notitie = "Bekende van ons: Jan de Vries, Kerklaan 12, zie dossier 2021-77.";
    private const string Bericht = "Beste Jan, de wijkagent heeft met uw buurman op nummer 14 gesproken.";

    private FormulierClient wijkagent = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
    }

    private sealed class VasteKlok(DateTimeOffset nu) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => nu;
    }

    private async Task Actie(long id, string handler, params (string Naam, string Waarde)[] velden)
    {
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{id}");
        var antwoord = await wijkagent.PostAsync(
            $"/beheer/meldingen/{id}?handler={handler}",
            pagina.Token,
            velden.Select(v => new KeyValuePair<string, string>(v.Naam, v.Waarde))
        );
        Assert.Equal(HttpStatusCode.Redirect, antwoord.StatusCode);
    }

    /// <summary>A report staff worked on: a note, a new place, closed with a message to the melder.</summary>
    private async Task<long> BehandeldeMeldingAsync(string naar = "afgehandeld")
    {
        var melding = await Een.Melding(DataSource).Rubriek("jeugdoverlast").Met("Jongeren bij het huis van Jan.").OpgeslagenAsync();
        await Actie(melding.Id, "Notitie", ("Notitie", Notitie));
        await Actie(
            melding.Id,
            "Aanpassen",
            ("Rubriek", "parkeeroverlast"),
            ("Lat", TestGemeente.PlekTekst(52.340012, 4.600034).Lat),
            ("Lon", TestGemeente.PlekTekst(52.340012, 4.600034).Lon)
        );
        await Actie(melding.Id, "Status", ("Huidig", "gemeld"), ("NaarStatus", naar), ("Tekst", Bericht));
        return melding.Id;
    }

    private async Task<List<(string Actie, string Door, DateTime Tijdstip, string? Voor, string? Na)>> AuditAsync(long id)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return (
            await connection.QueryAsync<(string, string, DateTime, string?, string?)>(
                "SELECT actie, door, tijdstip, voor::text, na::text FROM audit WHERE melding_id = @id ORDER BY id",
                new { id }
            )
        ).AsList();
    }

    private static void BevatGeenTekst(IEnumerable<(string Actie, string Door, DateTime Tijdstip, string? Voor, string? Na)> regels)
    {
        foreach (var r in regels)
        {
            var json = (r.Voor ?? "") + (r.Na ?? "");
            Assert.DoesNotContain("Jan", json, StringComparison.Ordinal);
            Assert.DoesNotContain("Kerklaan", json, StringComparison.Ordinal);
            Assert.DoesNotContain("nummer 14", json, StringComparison.Ordinal);
            Assert.DoesNotMatch("\"(lat|lon)\": *-?[0-9]", json);
        }
    }

    [Fact]
    public async Task An_anonymised_report_leaves_no_text_or_exact_place_in_its_audit_trail_but_who_did_what_stays()
    {
        var oud = await BehandeldeMeldingAsync();
        var ander = await BehandeldeMeldingAsync("in-behandeling");
        var voor = await AuditAsync(oud);
        // Before: the texts and the place are in the trail (what the fix is about).
        Assert.Contains(voor, r => r.Na?.Contains(Notitie, StringComparison.Ordinal) == true);
        Assert.Contains(voor, r => r.Na?.Contains("Beste Jan", StringComparison.Ordinal) == true);
        Assert.Contains(voor, r => r.Na?.Contains(TestGemeente.PlekTekst(52.340012, 4.600034).Lat, StringComparison.Ordinal) == true);

        var klok = new VasteKlok(DateTimeOffset.UtcNow.AddYears(5).AddDays(2));
        var geanonimiseerd = await Bewaartermijnen.AnonimiserenRegel(new DatabaseOptions(), klok).EenKeerAsync(DataSource, default);

        Assert.Equal(1, geanonimiseerd);
        var na = await AuditAsync(oud);
        BevatGeenTekst(na);
        // Same rows, same actions, same people, same moments; the status codes stay.
        Assert.Equal(voor.Select(r => (r.Actie, r.Door, r.Tijdstip)), na.Select(r => (r.Actie, r.Door, r.Tijdstip)));
        Assert.Equal(["notitie", "aanpassen", "status"], na.Select(r => r.Actie));
        Assert.All(na, r => Assert.Equal("Wim Wijkagent", r.Door));
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.Equal(
            ("afgehandeld", (string?)null, (string?)null),
            await connection.QuerySingleAsync<(string, string?, string?)>(
                "SELECT na->>'status', na->>'bericht', (SELECT na->>'tekst' FROM audit WHERE melding_id = @oud AND actie = 'notitie') "
                    + "FROM audit WHERE melding_id = @oud AND actie = 'status'",
                new { oud }
            )
        );
        Assert.True(
            await connection.ExecuteScalarAsync<bool>(
                "SELECT na ? 'bericht' AND na->'bericht' = 'null'::jsonb FROM audit WHERE melding_id = @oud AND actie = 'status'",
                new { oud }
            ),
            "the key stays, so the trail shows a message was sent"
        );
        // The report still open is untouched.
        Assert.Contains(await AuditAsync(ander), r => r.Na?.Contains(Notitie, StringComparison.Ordinal) == true);
        // A second round changes nothing.
        Assert.Equal(0, await Bewaartermijnen.AnonimiserenRegel(new DatabaseOptions(), klok).EenKeerAsync(DataSource, default));
    }

    [Fact]
    public async Task A_deleted_withdrawn_report_leaves_no_text_in_its_audit_trail()
    {
        var melding = await BehandeldeMeldingAsync("in-behandeling");
        await using (var connection = await DataSource.OpenConnectionAsync())
        {
            // Raw on purpose: a melder withdraws through their private link; only the status matters here.
            await connection.ExecuteAsync("UPDATE melding SET status = 'ingetrokken' WHERE id = @melding", new { melding });
        }

        var klok = new VasteKlok(DateTimeOffset.UtcNow.AddDays(400));
        Assert.Equal(1, await Bewaartermijnen.IngetrokkenRegel(new DatabaseOptions(), klok).EenKeerAsync(DataSource, default));

        var na = await AuditAsync(melding);
        Assert.Equal(["notitie", "aanpassen", "status"], na.Select(r => r.Actie));
        BevatGeenTekst(na);
    }

    [Theory]
    [InlineData("UPDATE audit SET na = NULL WHERE melding_id = @id")]
    [InlineData("UPDATE audit SET na = audit_zonder_tekst(na) WHERE melding_id = @id")]
    [InlineData("DELETE FROM audit WHERE melding_id = @id")]
    public async Task The_app_role_still_cannot_change_or_remove_audit_rows_itself(string sql)
    {
        var id = await BehandeldeMeldingAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        // Even with the switch the blanking function sets, and for an anonymised report.
        await connection.ExecuteAsync("UPDATE melding SET geanonimiseerd_op = now() WHERE id = @id", new { id });
        await connection.ExecuteAsync("SELECT set_config('wijk.audit_anonimiseren', 'aan', false)");

        var fout = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql, new { id }));

        Assert.Equal(InsufficientPrivilege, fout.SqlState);
        Assert.Contains(await AuditAsync(id), r => r.Na?.Contains(Notitie, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task The_blanking_function_touches_no_report_that_is_not_anonymised_and_the_owner_can_only_blank_through_it()
    {
        var id = await BehandeldeMeldingAsync();
        await using var connection = await DataSource.OpenConnectionAsync();

        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT audit_anonimiseren(ARRAY[@id]::bigint[])", new { id }));
        Assert.Contains(await AuditAsync(id), r => r.Na?.Contains(Notitie, StringComparison.Ordinal) == true);

        // The owner role (migrations, operators) hits the append-only trigger for anything else: an
        // UPDATE that is not exactly the blanking, even with the switch on and the report anonymised.
        await connection.ExecuteAsync("UPDATE melding SET geanonimiseerd_op = now() WHERE id = @id", new { id });
        await using var eigenaar = await EigenaarDataSource.OpenConnectionAsync();
        await using var transaction = await eigenaar.BeginTransactionAsync();
        await eigenaar.ExecuteAsync("SELECT set_config('wijk.audit_anonimiseren', 'aan', true)", transaction: transaction);
        var fout = await Assert.ThrowsAsync<PostgresException>(() =>
            eigenaar.ExecuteAsync("UPDATE audit SET door = 'iemand anders' WHERE melding_id = @id", new { id }, transaction)
        );
        Assert.Equal("WK002", fout.SqlState);
        await transaction.RollbackAsync();
        var weg = await Assert.ThrowsAsync<PostgresException>(() =>
            eigenaar.ExecuteAsync("DELETE FROM audit WHERE melding_id = @id", new { id })
        );
        Assert.Equal("WK002", weg.SqlState);

        Assert.Equal(3, await connection.ExecuteScalarAsync<int>("SELECT audit_anonimiseren(ARRAY[@id]::bigint[])", new { id }));
        BevatGeenTekst(await AuditAsync(id));
    }
}
