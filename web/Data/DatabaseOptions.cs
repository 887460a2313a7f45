using System.ComponentModel.DataAnnotations;

namespace Wijkmeldingen.Web.Data;

/// <summary>Settings under <c>Database</c> in configuration; the connection string itself is
/// <c>ConnectionStrings:Wijkmeldingen</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Apply the migrations in db/ when the portal starts.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Where the db/ folder with migrations and seed SQL is, relative to the app's base directory.</summary>
    [Required(ErrorMessage = "Database:ScriptsPath must name the folder with the SQL scripts.")]
    public string ScriptsPath { get; set; } = "db";

    /// <summary>The demo municipality's areas: a CBS Wijk- en Buurtkaart GeoPackage holding one
    /// municipality, relative to <see cref="ScriptsPath"/>. The demo seed imports it (the `gemeente`
    /// import) when no areas are loaded; empty: the seed imports none.</summary>
    public string? DemoGebieden { get; set; }

    /// <summary>The municipality (CBS code) the portal's connections work for: passed to PostgreSQL as
    /// <c>wijk.gemeente</c>, which gives new rows their <c>gemeente_code</c> and which the row-level
    /// security policies compare against (V81). Set from the municipality profile unless given here.</summary>
    [RegularExpression("^GM[0-9]{4}$", ErrorMessage = "Database:Gemeente must be GM followed by four digits.")]
    public string? Gemeente { get; set; }

    /// <summary>Days a melder's contact details (and followers' addresses) are kept after the report
    /// is closed; then the clean-up job deletes them. Passed to the database as wijk.bewaar_contact_dagen.</summary>
    [Range(1, 36500, ErrorMessage = "Database:BewaarContactDagen must be between {1} and {2}.")]
    public int BewaarContactDagen { get; set; } = 90;

    /// <summary>Days a closed report's photos are kept; then the clean-up job deletes them. 0 keeps
    /// photos for good. Passed to the database as wijk.bewaar_foto_dagen.</summary>
    [Range(0, 36500, ErrorMessage = "Database:BewaarFotoDagen must be between {1} and {2}.")]
    public int BewaarFotoDagen { get; set; } = 365;

    /// <summary>Days a report withdrawn by its melder is kept after withdrawal; then the clean-up job
    /// deletes it with everything that belongs to it.</summary>
    [Range(1, 36500, ErrorMessage = "Database:BewaarIngetrokkenDagen must be between {1} and {2}.")]
    public int BewaarIngetrokkenDagen { get; set; } = 365;

    /// <summary>Years after closing (afgehandeld, afgewezen) that a report is anonymised: its text,
    /// additions, staff notes, satisfaction remarks, messages, photos and contact details go, and its
    /// place becomes a point inside its buurt. Category, buurt, times and status stay, so the
    /// statistics do not change.</summary>
    [Range(1, 100, ErrorMessage = "Database:AnonimiseerNaJaren must be between {1} and {2}.")]
    public int AnonimiseerNaJaren { get; set; } = 5;
}
