using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly.Registry;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Geo.Geocoding;
using static Wijkmeldingen.Web.Features.Open311.Open311Antwoord;

namespace Wijkmeldingen.Web.Features.Open311;

public static partial class Open311Endpoints
{
    /// <summary>POST a request (filing a report), GET requests (the public reports, filtered as the spec
    /// says) and GET one request.</summary>
    private static void MapRequests(IEndpointRouteBuilder v2)
    {
        v2.MapPost("/requests.{format}", PostRequestAsync).DisableAntiforgery();

        v2.MapGet(
            "/requests.{format}",
            async (
                HttpContext http,
                LeesDatabase lezen,
                IOptions<PubliekOptions> kaart,
                TimeProvider klok,
                CancellationToken cancellationToken
            ) =>
            {
                var formaat = Formaat(http)!;
                var (filter, fout) = Open311Filter.Lees(naam => Param(http, naam), klok.GetUtcNow());
                if (filter is null)
                {
                    return Foutmelding(formaat, StatusCodes.Status400BadRequest, fout!);
                }
                var verzoeken = await VerzoekenAsync(
                    lezen.Bron,
                    kaart.Value.PubliekRasterMeters,
                    filter.Codes,
                    filter.Diensten,
                    filter.Status,
                    filter.Vanaf,
                    filter.Tot,
                    1000,
                    cancellationToken
                );
                return Schrijf(
                    formaat,
                    new Lijst(
                        "service_requests",
                        "request",
                        verzoeken.Select(v => AlsObj(v, Basis(http, kaart.Value), Gemeente(http))).ToList()
                    )
                );
            }
        );

        v2.MapGet(
            "/requests/{id}.{format}",
            async (string id, HttpContext http, LeesDatabase lezen, IOptions<PubliekOptions> kaart, CancellationToken cancellationToken) =>
            {
                var formaat = Formaat(http)!;
                var code = Volgcode.Normaliseer(id);
                var verzoeken = code is null
                    ? []
                    : await VerzoekenAsync(lezen.Bron, kaart.Value.PubliekRasterMeters, [code], [], null, null, null, 1, cancellationToken);
                return verzoeken.Count == 0
                    ? Foutmelding(formaat, StatusCodes.Status404NotFound, $"service_request_id '{id}' is onbekend.")
                    : Schrijf(
                        formaat,
                        new Lijst(
                            "service_requests",
                            "request",
                            verzoeken.Select(v => AlsObj(v, Basis(http, kaart.Value), Gemeente(http))).ToList()
                        )
                    );
            }
        );
    }

    private static async Task<IResult> PostRequestAsync(
        HttpContext http,
        NpgsqlDataSource dataSource,
        ResiliencePipelineProvider<string> pipelines,
        IGeocoder geocoder,
        MeldingMails mails,
        IOptions<MeldenOptions> meldenOptions,
        Open311Limieten limieten,
        TimeProvider klok,
        WijkMetrics metrics,
        IStringLocalizer<Tekst> t,
        CancellationToken cancellationToken
    )
    {
        var formaat = Formaat(http)!;
        if (!http.Request.HasFormContentType)
        {
            return Foutmelding(
                formaat,
                StatusCodes.Status400BadRequest,
                "Stuur de parameters als application/x-www-form-urlencoded (of multipart/form-data)."
            );
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        string? Veld(string naam) => form[naam].FirstOrDefault() is { Length: > 0 } waarde ? waarde.Trim() : null;

        if (
            await ApiSleutels.ControleerAsync(dataSource, Veld("api_key") ?? Param(http, "api_key"), cancellationToken) is not { } sleutelId
        )
        {
            return Foutmelding(formaat, StatusCodes.Status403Forbidden, "api_key ontbreekt of is ongeldig.");
        }
        using (var lease = limieten.PerSleutel.AttemptAcquire(sleutelId.ToString(CultureInfo.InvariantCulture)))
        {
            if (!lease.IsAcquired)
            {
                return Foutmelding(
                    formaat,
                    StatusCodes.Status429TooManyRequests,
                    "Te veel meldingen met deze api_key; probeer het over een minuut opnieuw."
                );
            }
        }
        if (Veld("service_code") is not { } dienst)
        {
            return Foutmelding(formaat, StatusCodes.Status400BadRequest, "service_code ontbreekt.");
        }
        var gevonden = await DienstenAsync(dataSource, dienst, cancellationToken);
        if (gevonden.Count == 0)
        {
            return Foutmelding(formaat, StatusCodes.Status404NotFound, $"service_code '{dienst}' is onbekend.");
        }

        double lat,
            lon;
        if (Veld("lat") is { } latTekst && Veld("long") is { } lonTekst)
        {
            if (
                !double.TryParse(latTekst, NumberStyles.Float, CultureInfo.InvariantCulture, out lat)
                || lat is < -90 or > 90
                || !double.IsFinite(lat)
                || !double.TryParse(lonTekst, NumberStyles.Float, CultureInfo.InvariantCulture, out lon)
                || lon is < -180 or > 180
                || !double.IsFinite(lon)
            )
            {
                return Foutmelding(
                    formaat,
                    StatusCodes.Status400BadRequest,
                    "lat en long moeten WGS84-getallen zijn, met een punt als decimaalteken."
                );
            }
        }
        else if (
            Veld("address_string") is { Length: <= 200 } adres
            && await geocoder.SuggestAsync(adres, 1, cancellationToken) is [var suggestie, ..]
            && Wkt.LeesPunt(suggestie.CentroideLl) is { } punt
        )
        {
            (lon, lat) = punt;
        }
        else
        {
            return Foutmelding(
                formaat,
                StatusCodes.Status400BadRequest,
                $"Geef de plek op met lat en long, of met een address_string die in {Gemeente(http).Naam} te vinden is."
            );
        }

        var opties = meldenOptions.Value;
        var omschrijving = Veld("description") ?? "";
        if (omschrijving.Length < opties.OmschrijvingMinLengte || omschrijving.Length > opties.OmschrijvingMaxLengte)
        {
            return Foutmelding(
                formaat,
                StatusCodes.Status400BadRequest,
                $"description is verplicht: minimaal {opties.OmschrijvingMinLengte} en maximaal {opties.OmschrijvingMaxLengte} tekens."
            );
        }
        var email = Veld("email");
        if (email is not null && !EmailAdres.IsGeldig(email))
        {
            return Foutmelding(formaat, StatusCodes.Status400BadRequest, "email is geen geldig e-mailadres.");
        }
        var telefoon = Veld("phone");
        if (telefoon is { Length: > 30 })
        {
            return Foutmelding(formaat, StatusCodes.Status400BadRequest, "phone mag maximaal 30 tekens hebben.");
        }
        var naam = string.Join(' ', new[] { Veld("first_name"), Veld("last_name") }.Where(n => n is not null));
        if (naam.Length > 200)
        {
            return Foutmelding(formaat, StatusCodes.Status400BadRequest, "first_name en last_name zijn samen te lang.");
        }
        RubriekVragen.Controle controle;
        DateTimeOffset? voorgevallen = null;
        if (Veld("attribute[voorgevallen_op]") is { } wanneer)
        {
            if (!LeesDatum(wanneer, out voorgevallen) || voorgevallen > klok.GetUtcNow().AddMinutes(5))
            {
                return Foutmelding(
                    formaat,
                    StatusCodes.Status400BadRequest,
                    "attribute[voorgevallen_op] moet een ISO 8601-moment in het verleden zijn."
                );
            }
        }

        // The category's extra questions as attribute[code] (GeoReport v2), checked as /melden checks them.
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            var vragen = await RubriekVragen.VanRubriekAsync(connection, dienst, cancellationToken);
            controle = RubriekVragen.Controleer(vragen, code => Veld($"attribute[{code}]"), t);
        }
        if (controle.Fouten.Count > 0)
        {
            var (veld, fout) = controle.Fouten.First();
            return Foutmelding(
                formaat,
                StatusCodes.Status400BadRequest,
                controle.Stop is not null ? fout : $"attribute[{veld["Vraag-".Length..]}]: {fout}"
            );
        }

        // The same request twice within ten minutes (a client retrying) finds the first report.
        var idempotentie = DeterministischeSleutel(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{sleutelId}|{dienst}|{lat:R}|{lon:R}|{omschrijving}|{email}|{klok.GetUtcNow().ToUnixTimeSeconds() / 600}"
            )
        );
        var opdracht = new MeldingOpslaan.Opdracht(
            idempotentie,
            dienst,
            omschrijving,
            lat,
            lon,
            voorgevallen,
            null,
            null,
            email,
            [],
            [],
            Bron: "api",
            Naam: naam.Length > 0 ? naam : null,
            Telefoon: telefoon,
            ApiSleutelId: sleutelId,
            Antwoorden: controle.Antwoorden,
            Taal: Open311Taal.VanMelder(Veld("locale"), http.Request)
        );
        try
        {
            var resultaat = await pipelines
                .GetPipeline(DatabaseResilience.PipelineName)
                .ExecuteAsync(
                    async ct =>
                        await MeldingOpslaan.UitvoerenAsync(
                            dataSource,
                            opdracht,
                            email is null
                                ? null
                                : (c, tx, id, code, geheim) => mails.OntvangstAsync(c, tx, id, code, geheim, email, gevonden[0].Naam, ct),
                            metrics,
                            ct
                        ),
                    cancellationToken
                );
            return Schrijf(
                formaat,
                new Lijst(
                    "service_requests",
                    "request",
                    [
                        new Obj(
                            "request",
                            [
                                ("service_request_id", resultaat.Volgcode),
                                (
                                    "service_notice",
                                    email is null
                                        ? $"Volg de melding op /melding/{resultaat.Volgcode}."
                                        : $"Volg de melding op /melding/{resultaat.Volgcode}; de melder krijgt een bevestiging per e-mail."
                                ),
                            ]
                        ),
                    ]
                )
            );
        }
        catch (PostgresException e) when (e.IsBuitenGemeente())
        {
            return Foutmelding(formaat, StatusCodes.Status400BadRequest, $"De plek ligt buiten de gemeente {Gemeente(http).Naam}.");
        }
        catch (OnbekendeRubriekException)
        {
            return Foutmelding(formaat, StatusCodes.Status404NotFound, $"service_code '{dienst}' is onbekend.");
        }
    }
}
