using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Testing;

/// <summary>
/// Test data over the portal's real write paths, with named defaults: a test says only what matters
/// to it. <c>await Een.Melding(DataSource).In("BU03970001").Rubriek("drugsafval").OpgeslagenAsync()</c>.
/// See docs/ARCHITECTURE.md, "Test data".
/// </summary>
public static class Een
{
    /// <summary>A report, filed through <see cref="MeldingOpslaan"/> (the one write path of /melden,
    /// Open311 and walk observations).</summary>
    public static MeldingBouwer Melding(NpgsqlDataSource dataSource) => new(dataSource);

    /// <summary>A wijkwandeling, saved and published through the organiser's planning
    /// (<see cref="Web.Features.Wandelingen.Beheer.WandelingPlanning"/>); needs the app's services.</summary>
    public static WandelingBouwer Wandeling(IServiceProvider services) => new(services);
}

/// <summary>
/// Builds a report and files it with <c>MeldingOpslaan.UitvoerenAsync</c>: the report row (its
/// buurt, wijk, team and target date set by the database as for any report), the 'gemeld' history
/// row, the contact row and the photos in one transaction. What the write path cannot set (a filing
/// time in the past, a later status, a handled or reopened history) is adjusted right after it in
/// plain UPDATEs and INSERTs, listed per method; routing and the target date stay as computed at the
/// real filing time.
/// </summary>
public sealed class MeldingBouwer(NpgsqlDataSource dataSource)
{
    /// <summary>Raadhuisplein, Centrum (buurt BU03970000, wijk WK039700), or with Voorbeeldstad loaded the same
    /// place moved onto it (<see cref="TestGemeente.Plek"/>: Molenwijk, BU99990002, wijk WK999900).</summary>
    public static double StandaardLat => TestGemeente.Lat;
    public static double StandaardLon => TestGemeente.Lon;
    public const string StandaardRubriek = "parkeeroverlast";
    public const string StandaardOmschrijving = "Auto op de stoep bij de bakker.";

    private string rubriek = StandaardRubriek;
    private string omschrijving = StandaardOmschrijving;
    private double lat = StandaardLat;
    private double lon = StandaardLon;
    private string? buurt;
    private double dx;
    private double dy;
    private string? melderType = "inwoner";
    private string? bedrijfsnaam;
    private string? email;
    private string? naam;
    private string? telefoon;
    private string? taal;
    private IReadOnlyList<MeldingOpslaan.Foto> fotos = [];
    private string bron = "web";
    private long? apiSleutelId;
    private long? wandelingId;
    private DateTimeOffset? voorgevallenOp;
    private DateTimeOffset? aangemaaktOp;
    private DateTimeOffset? gewijzigdOp;
    private string? status;
    private TimeSpan? afgehandeldNa;
    private TimeSpan? heropendNa;

    public MeldingBouwer Rubriek(string code)
    {
        rubriek = code;
        return this;
    }

    /// <summary>The melder's description.</summary>
    public MeldingBouwer Met(string tekst)
    {
        omschrijving = tekst;
        return this;
    }

    /// <summary>At this point (WGS84).</summary>
    public MeldingBouwer Op(double breedte, double lengte)
    {
        lat = breedte;
        lon = lengte;
        buurt = null;
        return this;
    }

    /// <summary>At this point (WGS84), e.g. <c>TestGemeente.Plek(52.3524, 4.6192)</c>.</summary>
    public MeldingBouwer Op((double Lat, double Lon) plek) => Op(plek.Lat, plek.Lon);

    /// <summary>At a point inside this buurt (ST_PointOnSurface of its shape).</summary>
    public MeldingBouwer In(string buurtCode)
    {
        buurt = buurtCode;
        return this;
    }

    /// <summary>Moved this many metres east (<paramref name="oost"/>) and north from the place.</summary>
    public MeldingBouwer Verschoven(double oost, double noord)
    {
        dx = oost;
        dy = noord;
        return this;
    }

    public MeldingBouwer MelderType(string? type)
    {
        melderType = type;
        return this;
    }

    public MeldingBouwer Ondernemer(string bedrijf)
    {
        melderType = "ondernemer";
        bedrijfsnaam = bedrijf;
        return this;
    }

    /// <summary>Contact details (the melder_contact row); none by default.</summary>
    public MeldingBouwer Email(string? adres, string? naamMelder = null, string? telefoonnummer = null)
    {
        email = adres;
        naam = naamMelder;
        telefoon = telefoonnummer;
        return this;
    }

    public MeldingBouwer Fotos(params MeldingOpslaan.Foto[] nieuw) => Fotos((IReadOnlyList<MeldingOpslaan.Foto>)nieuw);

    public MeldingBouwer Fotos(IReadOnlyList<MeldingOpslaan.Foto> nieuw)
    {
        fotos = nieuw;
        return this;
    }

    /// <summary>The channel: 'web' (default), 'api', 'wandeling', 'medewerker'.</summary>
    public MeldingBouwer Bron(string kanaal, long? apiSleutel = null)
    {
        bron = kanaal;
        apiSleutelId = apiSleutel;
        return this;
    }

    /// <summary>Observed on this walk: source 'wandeling' and the walk set inside the write transaction,
    /// as the staff observation page does.</summary>
    public MeldingBouwer UitWandeling(long wandeling)
    {
        bron = "wandeling";
        wandelingId = wandeling;
        return this;
    }

    public MeldingBouwer VoorgevallenOp(DateTimeOffset moment)
    {
        voorgevallenOp = moment;
        return this;
    }

    /// <summary>Adjustment after the write: aangemaakt_op, gewijzigd_op and the time of the 'gemeld'
    /// history row are set to this moment (team and target date keep the values of the real filing). The
    /// wijkbeeld rollup then has both this month and the current one marked for a refresh.</summary>
    public MeldingBouwer AangemaaktOp(DateTimeOffset moment)
    {
        aangemaaktOp = moment;
        return this;
    }

    /// <summary><see cref="AangemaaktOp(DateTimeOffset)"/> at a local (Europe/Amsterdam) time.</summary>
    public MeldingBouwer AangemaaktOp(DateTime lokaal)
    {
        var tijd = DateTime.SpecifyKind(lokaal, DateTimeKind.Unspecified);
        return AangemaaktOp(new DateTimeOffset(tijd, Tijd.Amsterdam.GetUtcOffset(tijd)));
    }

    /// <summary><see cref="AangemaaktOp(DateTimeOffset)"/> this many days before now.</summary>
    public MeldingBouwer AangemaaktDagenGeleden(int dagen) => AangemaaktOp(DateTimeOffset.UtcNow.AddDays(-dagen));

    /// <summary>The language the melder filed in ("en" or "nl"), as /melden and Open311 pass it.</summary>
    public MeldingBouwer InTaal(string code)
    {
        taal = code;
        return this;
    }

    /// <summary>Adjustment after the write: gewijzigd_op alone (after the filing time, if set).</summary>
    public MeldingBouwer GewijzigdOp(DateTimeOffset moment)
    {
        gewijzigdOp = moment;
        return this;
    }

    /// <summary>Adjustment after the write: the status column only (no history row, no mail). The
    /// database's retention trigger runs as for any status change.</summary>
    public MeldingBouwer Status(string code)
    {
        status = code;
        return this;
    }

    /// <summary>Adjustment after the write: status 'afgehandeld' and a history row 'gemeld' →
    /// 'afgehandeld' this long after the filing time.</summary>
    public MeldingBouwer AfgehandeldNa(TimeSpan na)
    {
        afgehandeldNa = na;
        status ??= "afgehandeld";
        return this;
    }

    /// <summary>Adjustment after the write: a history row 'afgehandeld' → 'heropend' this long after the
    /// filing time (the status column is what <see cref="Status"/> says).</summary>
    public MeldingBouwer HeropendNa(TimeSpan na)
    {
        heropendNa = na;
        return this;
    }

    /// <summary>Files the report and applies the adjustments.</summary>
    public async Task<MeldingOpslaan.Resultaat> OpgeslagenAsync()
    {
        var (breedte, lengte) = await PlekAsync();
        var opdracht = new MeldingOpslaan.Opdracht(
            Guid.NewGuid(),
            rubriek,
            omschrijving,
            breedte,
            lengte,
            voorgevallenOp,
            melderType,
            bedrijfsnaam,
            email,
            fotos,
            [],
            bron,
            naam,
            telefoon,
            apiSleutelId,
            Taal: taal
        );
        MeldingOpslaan.NaOpslaan? naOpslaan = wandelingId is { } wandeling
            ? (connection, transaction, id, _, _) =>
                connection.ExecuteAsync("UPDATE melding SET wandeling_id = @wandeling WHERE id = @id", new { wandeling, id }, transaction)
            : null;
        var resultaat = await MeldingOpslaan.UitvoerenAsync(dataSource, opdracht, naOpslaan, CancellationToken.None);
        await AanpassenAsync(resultaat.Id);
        return resultaat;
    }

    /// <summary>Files <paramref name="aantal"/> such reports, each through the write path.</summary>
    public async Task<IReadOnlyList<MeldingOpslaan.Resultaat>> OpgeslagenAsync(int aantal)
    {
        var resultaten = new List<MeldingOpslaan.Resultaat>(aantal);
        for (var i = 0; i < aantal; i++)
        {
            resultaten.Add(await OpgeslagenAsync());
        }
        return resultaten;
    }

    private async Task<(double Lat, double Lon)> PlekAsync()
    {
        if (buurt is null && dx == 0 && dy == 0)
        {
            return (lat, lon);
        }
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<(double, double)>(
            """
            SELECT ST_Y(p), ST_X(p) FROM (
                SELECT ST_Transform(ST_Translate(
                    CASE WHEN @buurt::text IS NULL THEN ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992)
                         ELSE (SELECT ST_PointOnSurface(geom) FROM buurt WHERE code = @buurt) END,
                    @dx, @dy), 4326) AS p) s
            """,
            new
            {
                buurt,
                lat,
                lon,
                dx,
                dy,
            }
        );
    }

    private async Task AanpassenAsync(long id)
    {
        if (aangemaaktOp is null && gewijzigdOp is null && status is null && afgehandeldNa is null && heropendNa is null)
        {
            return;
        }
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (aangemaaktOp is { } aangemaakt)
        {
            await connection.ExecuteAsync(
                """
                UPDATE melding SET aangemaakt_op = @aangemaakt, gewijzigd_op = @aangemaakt WHERE id = @id;
                """,
                new { id, aangemaakt = aangemaakt.UtcDateTime },
                transaction
            );
            // The history is append-only for the app role (V72): backdating its first row is the owner's.
            await using var eigenaar = new NpgsqlConnection(
                TestRollen.EigenaarVan(dataSource.ConnectionString) ?? dataSource.ConnectionString
            );
            await eigenaar.OpenAsync();
            await eigenaar.ExecuteAsync(
                "UPDATE melding_historie SET tijdstip = @aangemaakt WHERE melding_id = @id AND van_status IS NULL",
                new { id, aangemaakt = aangemaakt.UtcDateTime }
            );
        }
        if (afgehandeldNa is { } afgehandeld)
        {
            await HistorieAsync(connection, transaction, id, "gemeld", "afgehandeld", afgehandeld);
        }
        if (heropendNa is { } heropend)
        {
            await HistorieAsync(connection, transaction, id, "afgehandeld", "heropend", heropend);
        }
        if (status is not null)
        {
            await connection.ExecuteAsync("UPDATE melding SET status = @status WHERE id = @id", new { id, status }, transaction);
        }
        if (gewijzigdOp is { } gewijzigd)
        {
            await connection.ExecuteAsync(
                "UPDATE melding SET gewijzigd_op = @gewijzigd WHERE id = @id",
                new { id, gewijzigd = gewijzigd.UtcDateTime },
                transaction
            );
        }
        await transaction.CommitAsync();
    }

    private static Task<int> HistorieAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        long id,
        string van,
        string naar,
        TimeSpan na
    ) =>
        connection.ExecuteAsync(
            """
            INSERT INTO melding_historie (melding_id, van_status, naar_status, door, tijdstip)
            SELECT id, @van, @naar, 'test', aangemaakt_op + @na FROM melding WHERE id = @id
            """,
            new
            {
                id,
                van,
                naar,
                na,
            },
            transaction
        );
}
