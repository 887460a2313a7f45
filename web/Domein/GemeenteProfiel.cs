using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Wijkmeldingen.Web.Domein;

/// <summary>
/// The municipality this installation serves, as data: name, CBS code, house style, mail sender,
/// contact texts, the geocoder's filter, the map's start view, Open311 jurisdiction and the fields of the
/// privacy and accessibility statements. Read from <c>Gemeenten/&lt;Gemeente:Profiel&gt;/profiel.json</c>
/// (the folder may be moved with <c>Gemeente:ProfielMap</c>); any field can be overridden under the
/// section <c>Gemeente</c> (e.g. <c>Gemeente__Telefoon</c>). docs/configuration.md lists every field.
/// Nothing else in the code names a municipality (ArchitectuurTests keeps it so).
/// </summary>
public sealed class GemeenteProfiel
{
    public const string Section = "Gemeente";

    /// <summary>The profile's folder name under <see cref="ProfielMap"/>. Empty: the only profile there
    /// (the app ships one, the demo profile).</summary>
    [Required(ErrorMessage = "Gemeente:Profiel must name a profile folder.")]
    [RegularExpression("^[a-z0-9-]+$", ErrorMessage = "Gemeente:Profiel may hold only lower-case letters, digits and dashes.")]
    public string Profiel { get; set; } = "";

    /// <summary>The folder holding the profile folders; relative paths are taken from the app's folder.</summary>
    public string ProfielMap { get; set; } = "Gemeenten";

    /// <summary>The municipality's name as people write it, e.g. "Bergen op Zoom".</summary>
    [Required(ErrorMessage = "Gemeente:Naam must not be empty (is the profile's profiel.json there?).")]
    public string Naam { get; set; } = "";

    /// <summary>The CBS gemeentecode, <c>GM</c> and four digits.</summary>
    [Required(ErrorMessage = "Gemeente:CbsCode must not be empty.")]
    [RegularExpression("^GM[0-9]{4}$", ErrorMessage = "Gemeente:CbsCode must be GM followed by four digits, e.g. GM0363.")]
    public string CbsCode { get; set; } = "";

    /// <summary>The code PDOK's Locatieserver filters on (<c>gemeentecode:…</c>); empty: the CBS code's digits.</summary>
    [RegularExpression("^[0-9]{4}$", ErrorMessage = "Gemeente:PdokGemeentecode must be four digits.")]
    public string? PdokGemeentecode { get; set; }

    /// <summary>The municipality's internet domain (e.g. for calendar ids and mail); no scheme.</summary>
    [Required(ErrorMessage = "Gemeente:Domein must not be empty.")]
    [RegularExpression(@"^[a-z0-9.-]+\.[a-z]{2,}$", ErrorMessage = "Gemeente:Domein must be a host name such as gemeente.nl.")]
    public string Domein { get; set; } = "";

    /// <summary>The municipality's web site (help and contact).</summary>
    [Required(ErrorMessage = "Gemeente:Website must not be empty.")]
    [Url(ErrorMessage = "Gemeente:Website must be an absolute URL.")]
    public string Website { get; set; } = "";

    /// <summary>The phone number for questions, as shown (e.g. "14 023").</summary>
    [Required(ErrorMessage = "Gemeente:Telefoon must not be empty.")]
    public string Telefoon { get; set; } = "";

    /// <summary>The e-mail address for questions about the portal and about personal data.</summary>
    [Required(ErrorMessage = "Gemeente:Email must not be empty.")]
    [EmailAddress(ErrorMessage = "Gemeente:Email must be an e-mail address.")]
    public string Email { get; set; } = "";

    /// <summary>The visiting address of the town hall, one line.</summary>
    [Required(ErrorMessage = "Gemeente:Bezoekadres must not be empty.")]
    public string Bezoekadres { get; set; } = "";

    /// <summary>The sender of the portal's mail; used when <c>Mail:Afzender</c> is not set.</summary>
    [Required(ErrorMessage = "Gemeente:MailAfzenderNaam must not be empty.")]
    public string MailAfzenderNaam { get; set; } = "";

    [Required(ErrorMessage = "Gemeente:MailAfzenderAdres must not be empty.")]
    [EmailAddress(ErrorMessage = "Gemeente:MailAfzenderAdres must be an e-mail address.")]
    public string MailAfzenderAdres { get; set; } = "";

    /// <summary>Open311's jurisdiction_id; used when <c>Open311:JurisdictionId</c> is not set. Empty: the domain.</summary>
    public string? Open311JurisdictionId { get; set; }

    /// <summary>Who the boundaries on the maps come from, as the maps credit them after "Grenzen:"
    /// (the licence of the imported file asks for it), e.g. "© Kadaster / CBS, 2024".</summary>
    [Required(ErrorMessage = "Gemeente:GrenzenBron must not be empty.")]
    public string GrenzenBron { get; set; } = "";

    /// <summary>The CBS-layout GeoPackage (relative to the database scripts folder) that <c>seed</c>
    /// imports when no areas are loaded; used when <c>Database:DemoGebieden</c> is not set. Empty: none.</summary>
    public string? DemoGebieden { get; set; }

    [Required]
    public HuisstijlProfiel Huisstijl { get; set; } = new();

    [Required]
    public KaartStartProfiel Kaart { get; set; } = new();

    [Required]
    public PrivacyProfiel Privacy { get; set; } = new();

    [Required]
    public ToegankelijkheidProfiel Toegankelijkheid { get; set; } = new();

    /// <summary>The CBS code's four digits, e.g. "0748".</summary>
    public string Cijfers => CbsCode.Length == 6 ? CbsCode[2..] : CbsCode;

    /// <summary>What PDOK filters on.</summary>
    public string PdokCode => string.IsNullOrWhiteSpace(PdokGemeentecode) ? Cijfers : PdokGemeentecode;

    /// <summary>An example wijk code of this municipality (its first wijk), for help texts.</summary>
    public string VoorbeeldWijkcode => $"WK{Cijfers}00";

    public string Jurisdictie => string.IsNullOrWhiteSpace(Open311JurisdictionId) ? Domein : Open311JurisdictionId;

    /// <summary>The From address with display name (RFC 5322 mailbox).</summary>
    public string MailAfzender => $"{MailAfzenderNaam} <{MailAfzenderAdres}>";

    /// <summary>The text for the current UI culture: English when it is English and given, else Dutch.</summary>
    public static string Kies(Tweetalig tekst)
    {
        ArgumentNullException.ThrowIfNull(tekst);
        return CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" && !string.IsNullOrWhiteSpace(tekst.En) ? tekst.En : tekst.Nl;
    }
}

/// <summary>A text in Dutch and, where it differs, English.</summary>
public sealed class Tweetalig
{
    [Required(ErrorMessage = "A profile text needs its Dutch form (Nl).")]
    public string Nl { get; set; } = "";

    public string? En { get; set; }

    public override string ToString() => GemeenteProfiel.Kies(this);
}

/// <summary>The house style tokens: colours as #rrggbb (checked, so nothing else reaches the CSS) and the
/// logo file in the profile's folder.</summary>
public sealed class HuisstijlProfiel
{
    private const string Kleur = "^#[0-9a-fA-F]{6}$";
    private const string Fout = "Gemeente:Huisstijl colours must be written #rrggbb.";

    /// <summary>Header, links, buttons, map lines; needs at least 4.5:1 against white.</summary>
    [Required, RegularExpression(Kleur, ErrorMessage = Fout)]
    public string Primair { get; set; } = "";

    [Required, RegularExpression(Kleur, ErrorMessage = Fout)]
    public string PrimairDonker { get; set; } = "";

    /// <summary>The focus ring and highlights.</summary>
    [Required, RegularExpression(Kleur, ErrorMessage = Fout)]
    public string Accent { get; set; } = "";

    [Required, RegularExpression(Kleur, ErrorMessage = Fout)]
    public string Tekst { get; set; } = "";

    [Required, RegularExpression(Kleur, ErrorMessage = Fout)]
    public string Gedempt { get; set; } = "";

    [Required, RegularExpression(Kleur, ErrorMessage = Fout)]
    public string Rand { get; set; } = "";

    [Required, RegularExpression(Kleur, ErrorMessage = Fout)]
    public string Vlak { get; set; } = "";

    [Required, RegularExpression(Kleur, ErrorMessage = Fout)]
    public string Focus { get; set; } = "";

    [Required, RegularExpression(Kleur, ErrorMessage = Fout)]
    public string Gevaar { get; set; } = "";

    /// <summary>The logo, an SVG file in the profile's folder.</summary>
    [Required, RegularExpression(@"^[a-z0-9-]+\.svg$", ErrorMessage = "Gemeente:Huisstijl:Logo must be an .svg file name.")]
    public string Logo { get; set; } = "logo.svg";

    /// <summary>The CSS custom properties, in the order site.css documents them.</summary>
    public IEnumerable<(string Naam, string Waarde)> Tokens() =>
        [
            ("--huisstijl-color-primary", Primair),
            ("--huisstijl-color-primary-dark", PrimairDonker),
            ("--huisstijl-color-accent", Accent),
            ("--huisstijl-color-text", Tekst),
            ("--huisstijl-color-muted", Gedempt),
            ("--huisstijl-color-border", Rand),
            ("--huisstijl-color-surface", Vlak),
            ("--huisstijl-color-focus", Focus),
            ("--huisstijl-color-danger", Gevaar),
        ];

    /// <summary>The stylesheet <c>/huisstijl.css</c>: the tokens on <c>:root</c>.</summary>
    public string Css() => ":root {\n" + string.Concat(Tokens().Select(t => $"  {t.Naam}: {t.Waarde.ToLowerInvariant()};\n")) + "}\n";
}

/// <summary>The map's zoom, and its start point when no municipality boundary is loaded (with one, the map starts
/// on its middle): put the middle of the municipality here.</summary>
public sealed class KaartStartProfiel
{
    [Range(50.5, 53.7, ErrorMessage = "Gemeente:Kaart:Lat must lie in the Netherlands (50.5–53.7).")]
    public double Lat { get; set; }

    [Range(3.2, 7.3, ErrorMessage = "Gemeente:Kaart:Lon must lie in the Netherlands (3.2–7.3).")]
    public double Lon { get; set; }

    [Range(8, 18, ErrorMessage = "Gemeente:Kaart:Zoom must be between {1} and {2}.")]
    public int Zoom { get; set; } = 13;
}

/// <summary>The fields of the privacy statement (/privacy).</summary>
public sealed class PrivacyProfiel
{
    /// <summary>Who is responsible under the GDPR, e.g. "het college van burgemeester en wethouders van …".</summary>
    [Required]
    public Tweetalig Verwerkingsverantwoordelijke { get; set; } = new();

    /// <summary>How to reach the data protection officer (functionaris gegevensbescherming).</summary>
    [Required(ErrorMessage = "Gemeente:Privacy:FunctionarisGegevensbescherming must not be empty.")]
    public string FunctionarisGegevensbescherming { get; set; } = "";

    /// <summary>Date of the statement.</summary>
    [Required(ErrorMessage = "Gemeente:Privacy:Datum must be a date (yyyy-mm-dd).")]
    public DateOnly? Datum { get; set; }
}

/// <summary>The fields of the accessibility statement (/toegankelijkheid).</summary>
public sealed class ToegankelijkheidProfiel
{
    /// <summary>Date of the statement.</summary>
    [Required(ErrorMessage = "Gemeente:Toegankelijkheid:Datum must be a date (yyyy-mm-dd).")]
    public DateOnly? Datum { get; set; }

    /// <summary>Where to report an accessibility problem (an e-mail address or a web page).</summary>
    [Required(ErrorMessage = "Gemeente:Toegankelijkheid:Contact must not be empty.")]
    public string Contact { get; set; } = "";

    /// <summary>Working days within which the municipality answers.</summary>
    [Range(1, 60, ErrorMessage = "Gemeente:Toegankelijkheid:AntwoordBinnenWerkdagen must be between {1} and {2}.")]
    public int AntwoordBinnenWerkdagen { get; set; } = 5;

    /// <summary>The compliance status of the national model (digitoegankelijk.nl): A fully compliant,
    /// B partially compliant, C first measures taken, D first measures planned, E not compliant.</summary>
    [Required(ErrorMessage = "Gemeente:Toegankelijkheid:Status must be one of A, B, C, D, E.")]
    [RegularExpression("^[A-E]$", ErrorMessage = "Gemeente:Toegankelijkheid:Status must be one of A, B, C, D, E.")]
    public string Status { get; set; } = "";

    /// <summary>Date of the last accessibility audit (WCAG evaluation); empty: none carried out yet.</summary>
    public DateOnly? OnderzoekDatum { get; set; }

    /// <summary>Who carried out the last audit.</summary>
    public string? OnderzoekDoor { get; set; }

    /// <summary>Where the audit's report can be read (an absolute URL).</summary>
    [Url(ErrorMessage = "Gemeente:Toegankelijkheid:OnderzoekRapport must be an absolute URL.")]
    public string? OnderzoekRapport { get; set; }

    /// <summary>Known problems (deviations from WCAG), each with the date by which it is to be fixed.</summary>
    public List<ToegankelijkheidProbleem> BekendeProblemen { get; set; } = [];

    /// <summary>The improvement plan: measures with their planned dates.</summary>
    public List<ToegankelijkheidMaatregel> Verbeterplan { get; set; } = [];
}

/// <summary>A known accessibility problem and when it is to be fixed.</summary>
public sealed class ToegankelijkheidProbleem
{
    [Required]
    public Tweetalig Omschrijving { get; set; } = new();

    /// <summary>The date by which it is to be fixed; empty: no date yet.</summary>
    public DateOnly? OplossenVoor { get; set; }
}

/// <summary>A measure of the improvement plan and its planned date.</summary>
public sealed class ToegankelijkheidMaatregel
{
    [Required]
    public Tweetalig Omschrijving { get; set; } = new();

    public DateOnly? Gepland { get; set; }
}
