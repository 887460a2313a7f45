using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Features.Adres;
using Wijkmeldingen.Web.Features.Beheer;
using Wijkmeldingen.Web.Features.Info;
using Wijkmeldingen.Web.Features.Kaart;
using Wijkmeldingen.Web.Features.Maatregelen;
using Wijkmeldingen.Web.Features.Melden;
using Wijkmeldingen.Web.Features.Melding;
using Wijkmeldingen.Web.Features.Meldingen;
using Wijkmeldingen.Web.Features.Open311;
using Wijkmeldingen.Web.Features.Wandelingen;
using Wijkmeldingen.Web.Features.Wijkbeeld;
using Wijkmeldingen.Web.Fotos;
using Wijkmeldingen.Web.Geo;
using Wijkmeldingen.Web.Geo.Geocoding;
using Wijkmeldingen.Web.Hosting;
using Wijkmeldingen.Web.Mail;

var builder = WebApplication.CreateBuilder(args);

// Static files come from the build's static web assets manifest (MapStaticAssets below). A built but
// unpublished app (`infra/wijk run`, the tests) finds wwwroot through the build's runtime manifest; the
// host reads it by itself only in Development (published output has none: then a no-op). Outside
// Development it serves that manifest as published output is served: the precompressed files and the
// long lifetimes, not Development's re-read-on-change with caching off.
if (!builder.Environment.IsDevelopment())
{
    builder.WebHost.UseStaticWebAssets();
    builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
}

// Observability: OpenTelemetry traces and metrics (ASP.NET Core, HttpClient, Npgsql and the portal's
// own Meter "Wijkmeldingen"), exported over OTLP only when an endpoint is configured; JSON console
// logs with the trace id in Production. docs/operations.md lists the metrics.
builder.Services.AddTelemetrie(builder.Configuration, builder.Environment);

// Database: one NpgsqlDataSource with PostGIS (NTS) types, Dapper geometry handlers, the Polly
// pipeline for transient faults, Evolve migrations from db/ and the demo seeder.
builder.Services.AddDatabase(builder.Configuration);

// The ground floor: clock, report input rules, publicity rules, the mails of a report's life cycle, and
// the municipality profile (Gemeente:Profiel, a folder under Gemeenten/: name, codes, house style, texts).
builder.Services.AddDomein();

// GeoJSON for Leaflet goes through NetTopologySuite's converter; one JSON configuration for the app.
builder.Services.AddGeoJson();

// Photo uploads: checked by content and size, turned upright, resized and re-encoded without
// metadata (the EXIF GPS position is read first, for the report form).
builder.Services.AddFotos();

// Address search: PDOK Locatieserver behind Polly (when Geocoder:PdokGebruiken), with the local
// PostGIS search (areas, postcodes, imported BAG addresses) as fallback; the address importer.
builder.Services.AddGeocoder(builder.Configuration);

// E-mail through the outbox table: features queue mail in their own transaction, a background
// sender delivers it over SMTP (Mail:Verzenden = false leaves it queued).
builder.Services.AddMail(builder.Configuration);

// Razor Pages, organised by feature: every page lives under Features/<Feature>/.
builder.Services.AddRazorPages(options => options.RootDirectory = "/Features");

// Features.
builder.Services.AddKaart();
builder.Services.AddAdres();
builder.Services.AddMelden();
builder.Services.AddMelding();
builder.Services.AddOpen311();
builder.Services.AddWandelingen();

// Measures (maatregelen): what is done about reports, per wijk and on the map; /wat-gebeurt-er.
builder.Services.AddMaatregelen();

// Safety pictures per wijk and hotspot maps, read from per-month rollups refreshed in the background.
builder.Services.AddWijken();

// Staff work on reports: triage list, a report's page and its actions, templates, routing, deadlines.
builder.Services.AddMeldingen();

// Back office: staff accounts (Identity on Dapper stores, cookie sign-in, lockout) and role policies.
builder.Services.AddBeheer(builder.Configuration);

// Web plumbing: nl-NL first, error pages, security headers, antiforgery cookie, forwarded headers.
builder.Services.AddWebHosting(builder.Configuration);

// Data Protection keys in PostgreSQL under a fixed application name: every web node shares staff
// cookies, antiforgery tokens and invitation links (stateless nodes behind a load balancer).
builder.Services.AddGedeeldeSleutels();

// /health/live (the process), /health/ready (database, migrations, boundaries) and /health (as before).
builder.Services.AddHealth();

var app = builder.Build();

// `migrate`, `seed`, `import-adressen` and `beheerder-maken` verbs for infra/wijk: do the work and exit.
if (Commands.IsCommand(app, args))
{
    return await Commands.RunAsync(app, args);
}

if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
{
    await app.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync();
}

app.UseWebHosting();
app.UseBeheer();

// wwwroot as the build's manifest lists it: precompressed (gzip; Brotli too when published), and under a
// fingerprinted name cached for a year (immutable); the pages link those names (WithStaticAssets).
app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();
app.MapKaart();
app.MapAdres();
app.MapMelden();
app.MapMelding();
app.MapWijken();
app.MapMeldingen();
app.MapTaal();
app.MapOpen311();
app.MapOpenData();
app.MapWandelingen();
app.MapMaatregelen();
app.MapHealth();
app.MapInfo();

await app.RunAsync();
return 0;

public partial class Program;
