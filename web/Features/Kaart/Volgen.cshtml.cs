using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Geo.Geocoding;

namespace Wijkmeldingen.Web.Features.Kaart;

/// <summary>/kaart/volgen: subscribe by e-mail to new public reports in a buurt or within a radius of
/// an address (double opt-in, daily or weekly digest). Only the address and the area are stored.</summary>
public sealed class VolgenModel(NpgsqlDataSource dataSource, IGeocoder geocoder, BuurtDigest digest, IStringLocalizer<Tekst> t) : PageModel
{
    public static readonly int[] Stralen = [250, 500, 1000];

    public sealed record BuurtKeuze(string Code, string Naam);

    public IReadOnlyList<BuurtKeuze> Buurten { get; private set; } = [];
    public Dictionary<string, string> Fouten { get; } = [];
    public bool Verstuurd { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? Buurt { get; set; }

    [BindProperty]
    public string Soort { get; set; } = "buurt";

    [BindProperty]
    public string? Adres { get; set; }

    [BindProperty]
    public int Straal { get; set; } = 500;

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string Frequentie { get; set; } = "wekelijks";

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LaadBuurtenAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await LaadBuurtenAsync(cancellationToken);
        var email = Email?.Trim() ?? "";
        if (!EmailAdres.IsGeldig(email))
        {
            Fouten[nameof(Email)] = t["fout.email"];
        }
        if (Frequentie is not ("dagelijks" or "wekelijks"))
        {
            Frequentie = "wekelijks";
        }

        BuurtDigest.Gebied? gebied = null;
        if (Soort == "adres")
        {
            if (!Stralen.Contains(Straal))
            {
                Straal = 500;
            }
            var gevonden =
                string.IsNullOrWhiteSpace(Adres) || Adres.Length > 100
                    ? []
                    : await geocoder.SuggestAsync(Adres.Trim(), 1, cancellationToken);
            if (gevonden.Count == 0 || Wkt.LeesPunt(gevonden[0].CentroideLl) is not { } punt)
            {
                Fouten[nameof(Adres)] = t["fout.plek.onbekend"];
            }
            else
            {
                gebied = new BuurtDigest.Gebied(
                    null,
                    punt.Lon,
                    punt.Lat,
                    Straal,
                    t["volgen.gebied.straal", Straal, gevonden[0].Weergavenaam]
                );
            }
        }
        else if (Buurten.FirstOrDefault(b => b.Code == Buurt) is { } buurt)
        {
            gebied = new BuurtDigest.Gebied(buurt.Code, null, null, null, t["volgen.gebied.buurt", buurt.Naam]);
        }
        else
        {
            Fouten[nameof(Buurt)] = t["volgen.fout.buurt"];
        }

        if (Fouten.Count > 0 || gebied is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        await digest.AanmeldenAsync(email, gebied, Frequentie, cancellationToken);
        Verstuurd = true;
        return Page();
    }

    private async Task LaadBuurtenAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        Buurten = (
            await connection.QueryAsync<BuurtKeuze>(
                new CommandDefinition("SELECT code, naam FROM buurt ORDER BY naam", cancellationToken: cancellationToken)
            )
        ).AsList();
    }
}
