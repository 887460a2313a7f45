using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Meldingen.Acties;

namespace Wijkmeldingen.Web.Features.Meldingen;

/// <summary>/beheer/meldingen/{id}: one report with everything the melder gave, its place and
/// nearby reports, the full history and audit trail, and the staff actions (status with a message,
/// assign, note, duplicate, category/place, contact details on request), each handler running one
/// command of Acties/.</summary>
public sealed class MeldingModel(NpgsqlDataSource dataSource, IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b) : PageModel
{
    public MeldingDetail.Kern Melding { get; private set; } = null!;
    public IReadOnlyList<MeldingDetail.Foto> Fotos { get; private set; } = [];
    public IReadOnlyList<MeldingDetail.Stap> Historie { get; private set; } = [];
    public IReadOnlyList<MeldingDetail.Aanvulling> Aanvullingen { get; private set; } = [];

    /// <summary>The melder's answers to the category's extra questions.</summary>
    public IReadOnlyList<RubriekVragen.Antwoord> Antwoorden { get; private set; } = [];
    public IReadOnlyList<MeldingDetail.Verzoek> Verzoeken { get; private set; } = [];
    public IReadOnlyList<MeldingDetail.Notitie> Notities { get; private set; } = [];
    public IReadOnlyList<MeldingDetail.Dichtbij> Dichtbij { get; private set; } = [];
    public IReadOnlyList<(long Id, string Volgcode)> Duplicaten { get; private set; } = [];
    public IReadOnlyList<MeldingDetail.Sjabloon> Sjablonen { get; private set; } = [];
    public IReadOnlyList<Audit.Regel> AuditRegels { get; private set; } = [];
    public IReadOnlyList<MeldingDetail.Beoordeling> Beoordelingen { get; private set; } = [];
    public IReadOnlyList<MeldingDetail.Doorsturing> Doorsturingen { get; private set; } = [];
    public IReadOnlyList<MeldingDetail.NietOpgelost> NietOpgelostVerzoeken { get; private set; } = [];
    public IReadOnlyList<MeldingDetail.Vraag> Vragen { get; private set; } = [];

    /// <summary>The mails the report caused, with their state.</summary>
    public IReadOnlyList<MeldingDetail.Mail> Mails { get; private set; } = [];

    [BindProperty]
    public long? MailId { get; set; }

    [BindProperty]
    public string? Vraag { get; set; }
    public MeldingenZoeken.Keuzes Keuzes { get; private set; } = null!;
    public MeldingDetail.Contact? Contact { get; private set; }
    public bool ContactGetoond { get; private set; }

    /// <summary>When staff last looked before this visit: additions after it are marked new.</summary>
    public DateTime? VorigBekeken { get; private set; }

    public string? Fout { get; private set; }
    public string? FoutBij { get; private set; }

    /// <summary>The refusal to show in the form <paramref name="formulier"/>, if it is that form's.</summary>
    public string? FoutVoor(string formulier) => FoutBij == formulier ? Fout : null;

    /// <summary>The model of a form partial that belongs to one item of a list on the page (a photo,
    /// a melder's answer, a request).</summary>
    public sealed record Formulier<T>(MeldingModel Pagina, T Item);

    public Formulier<T> Voor<T>(T item) => new(this, item);

    [TempData]
    public string? Bericht { get; set; }

    [BindProperty]
    public string? Huidig { get; set; }

    [BindProperty]
    public string? NaarStatus { get; set; }

    [BindProperty]
    public string? Tekst { get; set; }

    [BindProperty]
    public short? Sjabloon { get; set; }

    [BindProperty]
    public string? Partner { get; set; }

    [BindProperty]
    public string? Toewijzen { get; set; }

    [BindProperty]
    public string? Notitie { get; set; }

    [BindProperty]
    public string? HoofdCode { get; set; }

    [BindProperty]
    public string? Rubriek { get; set; }

    [BindProperty]
    public string? Lat { get; set; }

    [BindProperty]
    public string? Lon { get; set; }

    [BindProperty]
    public long? VerzoekId { get; set; }

    [BindProperty]
    public string? ModeratieSoort { get; set; }

    [BindProperty]
    public string? Passage { get; set; }

    [BindProperty]
    public long? FotoId { get; set; }

    [BindProperty]
    public string? Reden { get; set; }

    [BindProperty]
    public long? BeoordelingId { get; set; }

    [BindProperty]
    public string? Antwoord { get; set; }

    [BindProperty]
    public string? DoorsturenPartij { get; set; }

    [BindProperty]
    public string? DoorsturenEmail { get; set; }

    [BindProperty]
    public string? DoorsturenBericht { get; set; }

    [BindProperty]
    public long? NietOpgelostId { get; set; }

    [BindProperty]
    public string? NietOpgelostTekst { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, [FromServices] BekekenActie bekeken, CancellationToken cancellationToken)
    {
        VorigBekeken = await bekeken.UitvoerenAsync(id, cancellationToken);
        return await ToonAsync(id, cancellationToken);
    }

    public Task<IActionResult> OnPostStatusAsync(long id, [FromServices] StatusActie actie, CancellationToken cancellationToken) =>
        Uitvoeren(id, "status", "actie.ok.status", async actor =>
        {
            var tekst = Tekst;
            if (string.IsNullOrWhiteSpace(tekst) && Sjabloon is { } sjabloon)
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                tekst = (await MeldingDetail.SjablonenAsync(connection, cancellationToken)).FirstOrDefault(s => s.Id == sjabloon)?.Tekst;
            }
            await actie.UitvoerenAsync(new(id, Huidig ?? "", NaarStatus ?? "", tekst, Partner), actor, cancellationToken);
        });

    public Task<IActionResult> OnPostToewijzenAsync(long id, [FromServices] ToewijzenActie actie, CancellationToken cancellationToken) =>
        Uitvoeren(id, "toewijzen", "actie.ok.toewijzen", actor => actie.UitvoerenAsync(new(id, Toewijzen), actor, cancellationToken));

    public Task<IActionResult> OnPostNotitieAsync(long id, [FromServices] NotitieActie actie, CancellationToken cancellationToken) =>
        Uitvoeren(id, "notitie", "actie.ok.notitie", actor => actie.UitvoerenAsync(new(id, Notitie), actor, cancellationToken));

    public Task<IActionResult> OnPostDubbelAsync(long id, [FromServices] DubbelActie actie, CancellationToken cancellationToken) =>
        Uitvoeren(id, "dubbel", "actie.ok.dubbel", actor => actie.UitvoerenAsync(new(id, HoofdCode), actor, cancellationToken));

    public Task<IActionResult> OnPostAanpassenAsync(long id, [FromServices] AanpassenActie actie, CancellationToken cancellationToken) =>
        Uitvoeren(id, "aanpassen", "actie.ok.aanpassen", actor =>
            actie.UitvoerenAsync(new(id, Rubriek, Getal(Lat), Getal(Lon)), actor, cancellationToken)
        );

    public Task<IActionResult> OnPostVerzoekAsync(
        long id,
        [FromServices] VerzoekAfhandelenActie actie,
        CancellationToken cancellationToken
    ) => Uitvoeren(id, "verzoek", "actie.ok.verzoek", actor => actie.UitvoerenAsync(new(id, VerzoekId ?? 0), actor, cancellationToken));

    /// <summary>Staff confirm a waiting erasure request (AVG art. 17).</summary>
    public Task<IActionResult> OnPostWissenAsync(long id, [FromServices] WissenActie actie, CancellationToken cancellationToken) =>
        Uitvoeren(id, "verzoek", "actie.ok.wissen", actor => actie.UitvoerenAsync(new(id, VerzoekId ?? 0), actor, cancellationToken));

    public Task<IActionResult> OnPostModererenAsync(long id, [FromServices] ModererenActie actie, CancellationToken cancellationToken) =>
        Uitvoeren(id, FotoId is null ? "moderatie" : $"moderatie-foto-{FotoId}", "actie.ok.moderatie", actor =>
            actie.UitvoerenAsync(new(id, ModeratieSoort, Passage, FotoId, Reden), actor, cancellationToken)
        );

    public Task<IActionResult> OnPostHeropenAccepterenAsync(
        long id,
        [FromServices] HeropenAccepterenActie actie,
        CancellationToken cancellationToken
    ) =>
        Uitvoeren(id, "heropen", "actie.ok.heropen", actor =>
            actie.UitvoerenAsync(new(id, BeoordelingId ?? 0, Tekst), actor, cancellationToken)
        );

    public Task<IActionResult> OnPostHeropenBeantwoordenAsync(
        long id,
        [FromServices] HeropenBeantwoordenActie actie,
        CancellationToken cancellationToken
    ) =>
        Uitvoeren(id, "heropen", "actie.ok.heropen", actor =>
            actie.UitvoerenAsync(new(id, BeoordelingId ?? 0, Antwoord), actor, cancellationToken)
        );

    public Task<IActionResult> OnPostDoorsturenAsync(long id, [FromServices] DoorsturenActie actie, CancellationToken cancellationToken) =>
        Uitvoeren(id, "doorsturen", "actie.ok.doorsturen", actor =>
            actie.UitvoerenAsync(new(id, DoorsturenPartij, DoorsturenEmail, DoorsturenBericht), actor, cancellationToken)
        );

    public Task<IActionResult> OnPostNietOpgelostAccepterenAsync(
        long id,
        [FromServices] NietOpgelostActie actie,
        CancellationToken cancellationToken
    ) =>
        Uitvoeren(id, "nietopgelost", "actie.ok.nietopgelost.geaccepteerd", actor =>
            actie.AccepterenAsync(new(id, NietOpgelostId ?? 0, NietOpgelostTekst), actor, cancellationToken)
        );

    public Task<IActionResult> OnPostNietOpgelostAfwijzenAsync(
        long id,
        [FromServices] NietOpgelostActie actie,
        CancellationToken cancellationToken
    ) =>
        Uitvoeren(id, "nietopgelost", "actie.ok.nietopgelost.afgewezen", actor =>
            actie.AfwijzenAsync(new(id, NietOpgelostId ?? 0, NietOpgelostTekst), actor, cancellationToken)
        );

    public Task<IActionResult> OnPostVraagAsync(long id, [FromServices] VraagActie actie, CancellationToken cancellationToken) =>
        Uitvoeren(id, "vraag", "actie.ok.vraag", actor => actie.UitvoerenAsync(new(id, Vraag), actor, cancellationToken));

    /// <summary>Queues a fresh copy of a mail the sender gave up on; a second click queues nothing and says so.</summary>
    public Task<IActionResult> OnPostMailOpnieuwAsync(long id, [FromServices] MailOpnieuwActie actie, CancellationToken cancellationToken)
    {
        var al = false;
        return Uitvoeren(
            id,
            $"mail-{MailId}",
            () => al ? "mails.ok.al" : "mails.ok.opnieuw",
            async actor => al = !await actie.UitvoerenAsync(new(id, MailId ?? 0), actor, cancellationToken)
        );
    }

    /// <summary>Shows the contact details on this response only (never cached), after logging the view.</summary>
    public async Task<IActionResult> OnPostContactAsync(long id, [FromServices] ContactActie actie, CancellationToken cancellationToken)
    {
        Contact = await actie.UitvoerenAsync(id, Actor.Van(User), cancellationToken);
        ContactGetoond = true;
        return await ToonAsync(id, cancellationToken);
    }

    private static double? Getal(string? tekst) =>
        double.TryParse(tekst?.Trim().Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var getal) ? getal : null;

    private Task<IActionResult> Uitvoeren(long id, string formulier, string ok, Func<Actor, Task> actie) =>
        Uitvoeren(id, formulier, () => ok, actie);

    private async Task<IActionResult> Uitvoeren(long id, string formulier, Func<string> ok, Func<Actor, Task> actie)
    {
        try
        {
            await actie(Actor.Van(User));
        }
        catch (KeyNotFoundException)
        {
            return NotFound();
        }
        catch (GeweigerdException geweigerd)
        {
            Fout = geweigerd.Message;
            FoutBij = formulier;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return await ToonAsync(id, HttpContext.RequestAborted);
        }
        Bericht = b[ok()];
        return Redirect($"/beheer/meldingen/{id}");
    }

    private async Task<IActionResult> ToonAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (await MeldingDetail.LaadAsync(connection, id, cancellationToken) is not { } melding)
        {
            return NotFound();
        }
        Melding = melding;
        VorigBekeken ??= melding.BekekenOp;
        Fotos = await MeldingDetail.FotosAsync(connection, id, cancellationToken);
        Historie = await MeldingDetail.HistorieAsync(connection, id, cancellationToken);
        Aanvullingen = await MeldingDetail.AanvullingenAsync(connection, id, cancellationToken);
        Antwoorden = await RubriekVragen.VanMeldingAsync(connection, id, cancellationToken);
        Verzoeken = await MeldingDetail.OpenVerzoekenAsync(connection, id, cancellationToken);
        Notities = await MeldingDetail.NotitiesAsync(connection, id, cancellationToken);
        Dichtbij = await MeldingDetail.DichtbijAsync(connection, id, cancellationToken);
        Duplicaten = await MeldingDetail.DuplicatenAsync(connection, id, cancellationToken);
        Sjablonen = await MeldingDetail.SjablonenAsync(connection, cancellationToken);
        AuditRegels = await Audit.VoorMeldingAsync(connection, id, cancellationToken);
        Beoordelingen = await MeldingDetail.BeoordelingenAsync(connection, id, cancellationToken);
        Doorsturingen = await MeldingDetail.DoorsturingenAsync(connection, id, cancellationToken);
        NietOpgelostVerzoeken = await MeldingDetail.NietOpgelostAsync(connection, id, cancellationToken);
        Vragen = await MeldingDetail.VragenAsync(connection, id, cancellationToken);
        Mails = await MeldingDetail.MailsAsync(connection, id, cancellationToken);
        Keuzes = await MeldingenZoeken.KeuzesAsync(connection, cancellationToken);
        Lat ??= melding.Lat.ToString("0.######", CultureInfo.InvariantCulture);
        Lon ??= melding.Lon.ToString("0.######", CultureInfo.InvariantCulture);
        Rubriek ??= melding.RubriekCode;
        return Page();
    }
}
