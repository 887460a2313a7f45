using System.Globalization;
using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Csv;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Werkplek;

/// <summary>The triage list's selection as CSV for staff: exact places and full descriptions (no
/// public rounding or small-count suppression), no contact details of melders. Semicolons, CRLF,
/// UTF-8 with BOM for Excel, the shared quoting and formula rule (<see cref="CsvRegels"/>); the
/// headers stay Dutch in every UI language, as the other exports do. The caller audits it.</summary>
public static class SelectieCsv
{
    public const int Maximum = 1000;

    private static readonly string[] Kop =
    [
        "volgcode",
        "rubriek",
        "status",
        "gemeld_op",
        "streefdatum",
        "buurt",
        "wijk",
        "lat",
        "lon",
        "omschrijving",
        "team",
        "behandelaar",
        "bron",
    ];

    private sealed record Rij(
        string Volgcode,
        string Rubriek,
        string Status,
        DateTime AangemaaktOp,
        DateTime? Streefdatum,
        string? Buurt,
        string? Wijk,
        double Lat,
        double Lon,
        string Omschrijving,
        string? Team,
        string? Behandelaar,
        string Bron
    );

    /// <summary>The CSV bytes and the tracking codes it holds (for the audit row), newest report first.</summary>
    public static async Task<(byte[] Csv, IReadOnlyList<string> Volgcodes)> MaakAsync(
        NpgsqlConnection connection,
        IReadOnlyList<long> ids,
        CancellationToken cancellationToken
    )
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(ids);
        var rijen = (
            await connection.QueryAsync<Rij>(
                new CommandDefinition(
                    """
                    SELECT m.volgcode, r.naam AS rubriek, s.naam AS status, m.aangemaakt_op AS aangemaaktop, m.streefdatum,
                           b.naam AS buurt, w.naam AS wijk,
                           ST_Y(ST_Transform(m.locatie, 4326)) AS lat, ST_X(ST_Transform(m.locatie, 4326)) AS lon,
                           m.omschrijving, t.naam AS team, mw.naam AS behandelaar, m.bron
                    FROM melding m
                    JOIN rubriek r ON r.id = m.rubriek_id
                    JOIN meldingstatus s ON s.code = m.status
                    LEFT JOIN buurt b ON b.code = m.buurt_code
                    LEFT JOIN wijk w ON w.code = m.wijk_code
                    LEFT JOIN team t ON t.id = m.team_id
                    LEFT JOIN medewerker mw ON mw.id = m.toegewezen_aan
                    WHERE m.id = ANY(@ids)
                    ORDER BY m.aangemaakt_op DESC, m.id DESC
                    """,
                    new { ids = ids.Distinct().ToArray() },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
        string Moment(DateTime utc) =>
            Tijd.Lokaal(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)))
                .ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var csv = CsvRegels.Schrijf(CsvRegels.Export(';', "\r\n", bom: true), schrijver =>
        {
            schrijver.WriteHeader(Kop);
            foreach (var r in rijen)
            {
                schrijver.WriteField(r.Volgcode);
                schrijver.WriteField(r.Rubriek);
                schrijver.WriteField(r.Status);
                schrijver.WriteField(Moment(r.AangemaaktOp));
                schrijver.WriteField(r.Streefdatum is { } d ? Moment(d) : null);
                schrijver.WriteField(r.Buurt);
                schrijver.WriteField(r.Wijk);
                schrijver.WriteField(r.Lat.ToString("F6", CultureInfo.InvariantCulture));
                schrijver.WriteField(r.Lon.ToString("F6", CultureInfo.InvariantCulture));
                schrijver.WriteField(r.Omschrijving);
                schrijver.WriteField(r.Team);
                schrijver.WriteField(r.Behandelaar);
                schrijver.WriteField(r.Bron);
                schrijver.EndRecord();
            }
        });
        return (csv, rijen.Select(r => r.Volgcode).ToList());
    }
}
