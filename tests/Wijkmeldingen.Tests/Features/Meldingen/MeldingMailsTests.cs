using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Meldingen;

/// <summary>Per report, the mails it caused (mail_outbox.melding_id, V75): every mail about a report
/// carries its id, the staff report page lists them with a masked recipient and their state, and a
/// failed one can be sent again once, audited, without the body or the address leaking into the list.</summary>
public sealed partial class MeldingMailsTests : AppTest
{
    private FormulierClient wijkagent = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        wijkagent = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
    }

    private async Task<HttpResponseMessage> Actie(long id, string handler, params (string Naam, string Waarde)[] velden)
    {
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{id}");
        return await wijkagent.PostAsync(
            $"/beheer/meldingen/{id}?handler={handler}",
            pagina.Token,
            velden.Select(v => new KeyValuePair<string, string>(v.Naam, v.Waarde))
        );
    }

    [Fact]
    public async Task Mails_about_a_report_carry_its_id_and_a_failed_one_is_sent_again_once()
    {
        var melding = await Een.Melding(DataSource)
            .Rubriek("jeugdoverlast")
            .Met("Portiek van flat 12 staat 's nachts open.")
            .Email("melder.jansen@example.nl")
            .OpgeslagenAsync();
        var ander = await Een.Melding(DataSource).Email("ander@example.nl").OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        await using (var tx = await db.BeginTransactionAsync())
        {
            var mails = App.Services.GetRequiredService<MeldingMails>();
            await mails.OntvangstAsync(
                db,
                tx,
                melding.Id,
                melding.Volgcode,
                "geheim",
                "melder.jansen@example.nl",
                "Jeugdoverlast",
                default
            );
            await tx.CommitAsync();
        }
        Assert.Equal(
            HttpStatusCode.Redirect,
            (
                await Actie(
                    melding.Id,
                    "Doorsturen",
                    ("DoorsturenPartij", "Woonstichting Elan"),
                    ("DoorsturenEmail", "meldingen@elan.example"),
                    ("DoorsturenBericht", "Graag de deur laten maken.")
                )
            ).StatusCode
        );
        Assert.Equal(
            HttpStatusCode.Redirect,
            (
                await Actie(
                    melding.Id,
                    "Status",
                    ("Huidig", "gemeld"),
                    ("NaarStatus", "in-behandeling"),
                    ("Tekst", "De wijkagent gaat vanavond langs.")
                )
            ).StatusCode
        );
        Assert.Equal(HttpStatusCode.Redirect, (await Actie(melding.Id, "Vraag", ("Vraag", "Welke portiek precies?"))).StatusCode);
        Assert.Equal(
            HttpStatusCode.Redirect,
            (await Actie(ander.Id, "Status", ("Huidig", "gemeld"), ("NaarStatus", "in-behandeling"), ("Tekst", "Bericht."))).StatusCode
        );

        var soorten = (
            await db.QueryAsync<string>(
                "SELECT split_part(sleutel, ':', 1) FROM mail_outbox WHERE melding_id = @Id ORDER BY id",
                new { melding.Id }
            )
        ).ToList();
        Assert.Equal(["melding-ontvangen", "melding-doorgestuurd", "melding-bericht", "melding-vraag"], soorten);
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT count(*) FROM mail_outbox WHERE melding_id = @Id", new { ander.Id }));

        // The sender gave up on the forward: a permanent refusal quoting the address, as SMTP servers do.
        var doorgestuurd = await db.QuerySingleAsync<(long Id, string Tekst)>(
            "SELECT id, tekst FROM mail_outbox WHERE melding_id = @Id AND sleutel LIKE 'melding-doorgestuurd:%'",
            new { melding.Id }
        );
        await db.ExecuteAsync(
            """
            UPDATE mail_outbox SET pogingen = 1, volgende_poging_op = 'infinity',
                   laatste_fout = 'SMTP 550: 5.1.1 <meldingen@elan.example>: Recipient address rejected'
            WHERE id = @Id
            """,
            new { doorgestuurd.Id }
        );
        var ontvangst = await db.ExecuteScalarAsync<long>(
            "SELECT id FROM mail_outbox WHERE sleutel = @s",
            new { s = $"melding-ontvangen:{melding.Id}" }
        );
        await db.ExecuteAsync("UPDATE mail_outbox SET verzonden_op = now() WHERE id = @ontvangst", new { ontvangst });

        var html = await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}");
        var tabel = WebUtility.HtmlDecode(TabelPatroon().Match(html).Value);
        Assert.NotEmpty(tabel);
        Assert.Equal(4, RijPatroon().Count(tabel));
        Assert.Contains("data-staat=\"mislukt\"", tabel, StringComparison.Ordinal);
        Assert.Contains("data-staat=\"verzonden\"", tabel, StringComparison.Ordinal);
        Assert.Contains("Doorgestuurd naar externe partij", tabel, StringComparison.Ordinal);
        Assert.Contains("Ontvangstbevestiging", tabel, StringComparison.Ordinal);
        Assert.Contains("m…@elan.example", tabel, StringComparison.Ordinal);
        Assert.Contains("m…@example.nl", tabel, StringComparison.Ordinal);
        Assert.Contains("Recipient address rejected", tabel, StringComparison.Ordinal);
        Assert.Contains("[adres]", tabel, StringComparison.Ordinal);
        Assert.DoesNotContain("meldingen@elan.example", tabel, StringComparison.Ordinal);
        Assert.DoesNotContain("melder.jansen@example.nl", html, StringComparison.Ordinal);
        // The body's reply link is the outside party's key: it never shows on the staff page.
        var token = LinkPatroon().Match(doorgestuurd.Tekst).Groups[1].Value;
        Assert.True(token.Length >= 40, doorgestuurd.Tekst);
        Assert.DoesNotContain(token, html, StringComparison.Ordinal);
        Assert.Contains($"id=\"opnieuw-{doorgestuurd.Id}\"", tabel, StringComparison.Ordinal);
        Assert.DoesNotContain($"id=\"opnieuw-{ontvangst}\"", tabel, StringComparison.Ordinal);

        // A sent mail, and another report's mail, cannot be sent again: a Dutch refusal, a 400.
        var verzonden = await Actie(
            melding.Id,
            "MailOpnieuw",
            ("MailId", ontvangst.ToString(System.Globalization.CultureInfo.InvariantCulture))
        );
        Assert.Equal(HttpStatusCode.BadRequest, verzonden.StatusCode);
        Assert.Contains("Alleen een mislukte mail", await verzonden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var vanAnder = await db.ExecuteScalarAsync<long>("SELECT id FROM mail_outbox WHERE melding_id = @Id", new { ander.Id });
        var vreemd = await Actie(
            melding.Id,
            "MailOpnieuw",
            ("MailId", vanAnder.ToString(System.Globalization.CultureInfo.InvariantCulture))
        );
        Assert.Equal(HttpStatusCode.BadRequest, vreemd.StatusCode);
        Assert.Contains("hoort niet bij deze melding", await vreemd.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Send again, twice (a double click with the same form): one copy, one audit row.
        var pagina = await wijkagent.OpenAsync($"/beheer/meldingen/{melding.Id}");
        var velden = new KeyValuePair<string, string>[]
        {
            new("MailId", doorgestuurd.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        var eerste = await wijkagent.PostAsync($"/beheer/meldingen/{melding.Id}?handler=MailOpnieuw", pagina.Token, velden);
        var tweede = await wijkagent.PostAsync($"/beheer/meldingen/{melding.Id}?handler=MailOpnieuw", pagina.Token, velden);
        Assert.Equal(HttpStatusCode.Redirect, eerste.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, tweede.StatusCode);
        var kopie = await db.QuerySingleAsync<(string Aan, string Tekst, long? MeldingId, DateTime? VerzondenOp, DateTime Due)>(
            """
            SELECT aan, tekst, melding_id, verzonden_op, volgende_poging_op FROM mail_outbox
            WHERE sleutel LIKE 'opnieuw:' || @Id || ':%'
            """,
            new { doorgestuurd.Id }
        );
        Assert.Equal("meldingen@elan.example", kopie.Aan);
        Assert.Equal(doorgestuurd.Tekst, kopie.Tekst);
        Assert.Equal(melding.Id, kopie.MeldingId);
        Assert.Null(kopie.VerzondenOp);
        Assert.True(kopie.Due <= DateTime.UtcNow.AddMinutes(1));
        var audit = (
            await db.QueryAsync<string>("SELECT na::text FROM audit WHERE actie = 'mail-opnieuw' AND melding_id = @Id", new { melding.Id })
        ).ToList();
        Assert.Single(audit);
        Assert.DoesNotContain("elan.example", audit[0], StringComparison.Ordinal);
        Assert.Contains(
            "al opnieuw in de wachtrij",
            await wijkagent.Http.GetStringAsync(tweede.Headers.Location!.OriginalString),
            StringComparison.Ordinal
        );

        var daarna = WebUtility.HtmlDecode(
            TabelPatroon().Match(await wijkagent.Http.GetStringAsync($"/beheer/meldingen/{melding.Id}")).Value
        );
        Assert.Equal(5, RijPatroon().Count(daarna));
        Assert.DoesNotContain($"id=\"opnieuw-{doorgestuurd.Id}\"", daarna, StringComparison.Ordinal);
        Assert.Contains("opnieuw verstuurd", daarna, StringComparison.Ordinal);
        Assert.Contains("data-staat=\"wacht\"", daarna, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_migration_backfills_the_report_of_mails_queued_before_it()
    {
        var melding = await Een.Melding(DataSource).Email("melder@example.nl").OpgeslagenAsync();
        await using var db = await DataSource.OpenConnectionAsync();
        var historie = await db.ExecuteScalarAsync<long>(
            "SELECT id FROM melding_historie WHERE melding_id = @Id LIMIT 1",
            new { melding.Id }
        );
        var volger = await db.ExecuteScalarAsync<long>(
            "INSERT INTO melding_volger (melding_id, email, sleutel_hash) VALUES (@Id, 'volger@example.nl', '\\x00') RETURNING id",
            new { melding.Id }
        );
        string[] sleutels =
        [
            $"melding-ontvangen:{melding.Id}",
            $"spoed:{melding.Id}:team@heemstede.nl",
            $"melding-bericht:{historie}:melder",
            $"melding-volgen:{volger}",
            "termijn-digest:jeugd:2026-01-01:team@heemstede.nl",
            "melding-ontvangen:999999999",
        ];
        foreach (var sleutel in sleutels)
        {
            await db.ExecuteAsync(
                "INSERT INTO mail_outbox (sleutel, aan, onderwerp, tekst) VALUES (@sleutel, 'x@example.nl', 'o', 't')",
                new { sleutel }
            );
        }

        var migratie = await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "db", "migrations", "V75__melding_mails_limiet.sql"));
        var begin = migratie.IndexOf("-- Backfill", StringComparison.Ordinal);
        var einde = migratie.IndexOf("-- 2.", begin, StringComparison.Ordinal);
        await db.ExecuteAsync(migratie[begin..einde]);

        var gevuld = (await db.QueryAsync<(string Sleutel, long? MeldingId)>("SELECT sleutel, melding_id FROM mail_outbox")).ToDictionary(
            r => r.Sleutel,
            r => r.MeldingId
        );
        Assert.Equal(melding.Id, gevuld[sleutels[0]]);
        Assert.Equal(melding.Id, gevuld[sleutels[1]]);
        Assert.Equal(melding.Id, gevuld[sleutels[2]]);
        Assert.Equal(melding.Id, gevuld[sleutels[3]]);
        Assert.Null(gevuld[sleutels[4]]);
        Assert.Null(gevuld[sleutels[5]]);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Wijkmeldingen.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Wijkmeldingen.sln not found");
    }

    [GeneratedRegex("<ul class=\"mails\".*?</ul>", RegexOptions.Singleline)]
    private static partial Regex TabelPatroon();

    [GeneratedRegex("<li class=\"mail\" id=\"mail-")]
    private static partial Regex RijPatroon();

    [GeneratedRegex(@"/doorgestuurd/([A-Za-z0-9_-]+)")]
    private static partial Regex LinkPatroon();
}
