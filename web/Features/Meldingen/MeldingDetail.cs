using Dapper;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen;

/// <summary>Everything about one report that staff see on /beheer/meldingen/{id}: what the melder
/// gave (contact details only on request, and logged), the full history, additions, open
/// requests, notes, nearby reports and the audit trail.</summary>
public static class MeldingDetail
{
    public sealed record Kern(
        long Id,
        string Volgcode,
        short RubriekId,
        string RubriekCode,
        string Rubriek,
        string Thema,
        string Status,
        string StatusNaam,
        bool Gesloten,
        string Omschrijving,
        DateTime AangemaaktOp,
        DateTime? VoorgevallenOp,
        string? MelderType,
        string? Bedrijfsnaam,
        string Bron,
        string BuurtNaam,
        string WijkNaam,
        double Lat,
        double Lon,
        short? TeamId,
        string? Team,
        Guid? ToegewezenAan,
        string? Toegewezen,
        string? Partner,
        long? HoofdmeldingId,
        string? HoofdVolgcode,
        DateTime? MelderGewijzigdOp,
        DateTime? BekekenOp,
        bool HeeftContact,
        int Volgers,
        long? WandelingId,
        string? WandelingTitel,
        bool OmschrijvingVerborgen,
        string? OmschrijvingPubliek,
        int SteunAantal
    );

    /// <summary>A resident's "Nog niet opgelost" (anonymous) and what staff decided.</summary>
    public sealed record NietOpgelost(
        long Id,
        string? Toelichting,
        DateTime GegevenOp,
        string Status,
        string? Reden,
        string? BehandeldDoor
    );

    /// <summary>A question staff asked the melder, with the answer once given.</summary>
    public sealed record Vraag(
        long Id,
        string Tekst,
        string GesteldDoor,
        DateTime GesteldOp,
        DateTime VerlooptOp,
        string? Antwoord,
        DateTime? BeantwoordOp
    );

    public static async Task<IReadOnlyList<Vraag>> VragenAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken) =>
        (
            await connection.QueryAsync<Vraag>(
                new CommandDefinition(
                    """
                    SELECT id, vraag AS tekst, gesteld_door AS gesteldDoor, gesteld_op AS gesteldop, verloopt_op AS verlooptop,
                           antwoord, beantwoord_op AS beantwoordop
                    FROM melding_vraag WHERE melding_id = @id ORDER BY gesteld_op DESC, id DESC
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    /// <summary>Residents' "Nog niet opgelost" requests, open ones first, then newest first.</summary>
    public static async Task<IReadOnlyList<NietOpgelost>> NietOpgelostAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<NietOpgelost>(
                new CommandDefinition(
                    """
                    SELECT id, toelichting, gegeven_op AS gegevenop, status, reden, behandeld_door AS behandelddoor
                    FROM melding_heropenverzoek WHERE melding_id = @id
                    ORDER BY status = 'open' DESC, gegeven_op DESC, id DESC
                    LIMIT 100
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    public sealed record Foto(long Id, bool Verborgen, bool BijAanvulling);

    public sealed record Stap(string? VanStatus, string NaarStatus, string StatusNaam, string Door, string? Bericht, DateTime Tijdstip);

    public sealed record Aanvulling(string Tekst, DateTime AangemaaktOp);

    public sealed record Verzoek(long Id, string Soort, string? Toelichting, DateTime AangemaaktOp);

    public sealed record Notitie(string Door, string Tekst, DateTime AangemaaktOp);

    public sealed record Dichtbij(long Id, string Volgcode, string Rubriek, string StatusNaam, int Afstand, double Lat, double Lon);

    public sealed record Contact(string? Email, string? Naam, string? Telefoon);

    public sealed record Sjabloon(short Id, string Naam, string Tekst);

    /// <summary>A forward to an outside party and its answer, if any.</summary>
    public sealed record Doorsturing(
        long Id,
        string Partij,
        string Email,
        string? Bericht,
        string Door,
        DateTime VerstuurdOp,
        DateTime GeldigTot,
        string? Antwoord,
        string? BeantwoordDoor,
        DateTime? BeantwoordOp
    )
    {
        public bool Wacht => BeantwoordOp is null && GeldigTot > DateTime.UtcNow;
    }

    public static async Task<IReadOnlyList<Doorsturing>> DoorsturingenAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<Doorsturing>(
                new CommandDefinition(
                    """
                    SELECT id, partij, email, bericht, door, verstuurd_op AS verstuurdop, geldig_tot AS geldigtot,
                           antwoord, beantwoord_door AS beantwoorddoor, beantwoord_op AS beantwoordop
                    FROM melding_doorsturing WHERE melding_id = @id ORDER BY verstuurd_op DESC, id DESC
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    /// <summary>One mail the report caused, as staff see it: its kind and subject, the recipient
    /// masked, when it was queued and sent, and its state. No body: the list shows what happened to a
    /// mail, not what it said (a forward or a status message is on the page already, a receipt's link
    /// is the melder's key).</summary>
    public sealed record Mail(
        long Id,
        string Sleutel,
        string Aan,
        string Onderwerp,
        DateTime AangemaaktOp,
        DateTime? VerzondenOp,
        int Pogingen,
        string? LaatsteFout,
        bool Opgegeven,
        bool OpnieuwVerstuurd
    )
    {
        /// <summary>verzonden, mislukt (the sender gave up) or wacht (queued or retrying).</summary>
        public string Staat =>
            VerzondenOp is not null ? "verzonden"
            : Opgegeven ? "mislukt"
            : "wacht";

        /// <summary>The kind, from the key's prefix; a copy sent again has the kind of its original.</summary>
        public string Soort => MailSoort(Sleutel);

        public string AanGemaskeerd => Wijkmeldingen.Web.Mail.Outbox.Gemaskeerd(Aan);

        /// <summary>The last error without any address in it (an SMTP refusal often quotes the recipient).</summary>
        public string? Fout => LaatsteFout is null ? null : Wijkmeldingen.Web.Mail.OutboxSender.ZonderAdressen(LaatsteFout);

        public bool IsKopie => Sleutel.StartsWith(OpnieuwPrefix, StringComparison.Ordinal);

        public bool KanOpnieuw => Opgegeven && VerzondenOp is null && !OpnieuwVerstuurd;
    }

    /// <summary>The prefix of <c>opnieuw:&lt;id&gt;:</c> that marks a copy sent again.</summary>
    public const string OpnieuwPrefix = "opnieuw:";

    /// <summary>The kind of a mail from its key (<c>melding-bericht:12:..</c> gives <c>melding-bericht</c>).</summary>
    public static string MailSoort(string sleutel)
    {
        ArgumentNullException.ThrowIfNull(sleutel);
        var rest = sleutel;
        while (rest.StartsWith(OpnieuwPrefix, StringComparison.Ordinal))
        {
            var na = rest.IndexOf(':', OpnieuwPrefix.Length);
            if (na < 0)
            {
                break;
            }
            rest = rest[(na + 1)..];
        }
        var dubbelepunt = rest.IndexOf(':', StringComparison.Ordinal);
        return dubbelepunt < 0 ? rest : rest[..dubbelepunt];
    }

    /// <summary>The mails about the report (mail_outbox.melding_id, V75), oldest first. Sent mail
    /// leaves the outbox after Mail:BewaarVerzondenDagen, so older sent mail is no longer listed.</summary>
    public static async Task<IReadOnlyList<Mail>> MailsAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken) =>
        (
            await connection.QueryAsync<Mail>(
                new CommandDefinition(
                    """
                    SELECT o.id, o.sleutel, o.aan, o.onderwerp, o.aangemaakt_op AS aangemaaktop, o.verzonden_op AS verzondenop,
                           o.pogingen, o.laatste_fout AS laatstefout, o.volgende_poging_op = 'infinity' AS opgegeven,
                           EXISTS (SELECT 1 FROM mail_outbox k WHERE k.sleutel = 'opnieuw:' || o.id || ':' || o.sleutel)
                               AS opnieuwverstuurd
                    FROM mail_outbox o WHERE o.melding_id = @id ORDER BY o.aangemaakt_op, o.id
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    public sealed record Beoordeling(
        long Id,
        bool Tevreden,
        string? Toelichting,
        DateTime GegevenOp,
        string? VerzoekStatus,
        string? Antwoord,
        string? BehandeldDoor
    );

    /// <summary>The melder's satisfaction answers, newest first; an open "niet tevreden" is a reopen request.</summary>
    public static async Task<IReadOnlyList<Beoordeling>> BeoordelingenAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<Beoordeling>(
                new CommandDefinition(
                    """
                    SELECT id, tevreden, toelichting, gegeven_op AS gegevenop,
                        verzoek_status AS verzoekstatus, antwoord, behandeld_door AS behandelddoor
                    FROM melding_beoordeling WHERE melding_id = @id AND tevreden IS NOT NULL ORDER BY id DESC
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    public static Task<Kern?> LaadAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.QuerySingleOrDefaultAsync<Kern?>(
            new CommandDefinition(
                """
                SELECT m.id, m.volgcode, r.id AS rubriekid, r.code AS rubriekcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek,
                       in_taal(t.naam, t.naam_en, @taal) AS thema, m.status, in_taal(s.naam, s.naam_en, @taal) AS statusnaam,
                       s.gesloten, m.omschrijving, m.aangemaakt_op AS aangemaaktop,
                       m.voorgevallen_op AS voorgevallenop, m.melder_type AS meldertype, m.bedrijfsnaam, m.bron,
                       b.naam AS buurtnaam, w.naam AS wijknaam,
                       ST_Y(ST_Transform(m.locatie, 4326)) AS lat, ST_X(ST_Transform(m.locatie, 4326)) AS lon,
                       m.team_id AS teamid, tm.naam AS team, m.toegewezen_aan AS toegewezenaan, mw.naam AS toegewezen,
                       m.partner, m.hoofdmelding_id AS hoofdmeldingid, hm.volgcode AS hoofdvolgcode,
                       m.melder_gewijzigd_op AS meldergewijzigdop, m.bekeken_op AS bekekenop,
                       EXISTS (SELECT 1 FROM melder_contact c WHERE c.melding_id = m.id) AS heeftcontact,
                       (SELECT count(*)::int FROM melding_volger v WHERE v.melding_id = m.id) AS volgers,
                       m.wandeling_id AS wandelingid, (SELECT wa.titel FROM wandeling wa WHERE wa.id = m.wandeling_id) AS wandelingtitel,
                       m.omschrijving_verborgen AS omschrijvingverborgen, m.omschrijving_publiek AS omschrijvingpubliek,
                       m.steun_aantal AS steunaantal
                FROM melding m
                JOIN rubriek r ON r.id = m.rubriek_id
                JOIN thema t ON t.id = r.thema_id
                JOIN meldingstatus s ON s.code = m.status
                JOIN buurt b ON b.code = m.buurt_code
                JOIN wijk w ON w.code = m.wijk_code
                LEFT JOIN team tm ON tm.id = m.team_id
                LEFT JOIN medewerker mw ON mw.id = m.toegewezen_aan
                LEFT JOIN melding hm ON hm.id = m.hoofdmelding_id
                WHERE m.id = @id
                """,
                new { id, taal = Taal.Code },
                cancellationToken: cancellationToken
            )
        );
    }

    public static async Task<IReadOnlyList<Foto>> FotosAsync(NpgsqlConnection connection, long id, CancellationToken cancellationToken) =>
        (
            await connection.QueryAsync<Foto>(
                new CommandDefinition(
                    "SELECT id, verborgen, aanvulling_id IS NOT NULL AS bijaanvulling FROM melding_foto WHERE melding_id = @id ORDER BY id",
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    public static async Task<IReadOnlyList<Stap>> HistorieAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<Stap>(
                new CommandDefinition(
                    """
                    SELECT h.van_status AS vanstatus, h.naar_status AS naarstatus, in_taal(s.naam, s.naam_en, @taal) AS statusnaam,
                           h.door, h.bericht, h.tijdstip
                    FROM melding_historie h JOIN meldingstatus s ON s.code = h.naar_status
                    WHERE h.melding_id = @id ORDER BY h.tijdstip DESC, h.id DESC
                    """,
                    new { id, taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    public static async Task<IReadOnlyList<Aanvulling>> AanvullingenAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<Aanvulling>(
                new CommandDefinition(
                    "SELECT tekst, aangemaakt_op AS aangemaaktop FROM melding_aanvulling WHERE melding_id = @id ORDER BY aangemaakt_op",
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    public static async Task<IReadOnlyList<Verzoek>> OpenVerzoekenAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<Verzoek>(
                new CommandDefinition(
                    """
                    SELECT id, soort, toelichting, aangemaakt_op AS aangemaaktop FROM melding_verzoek
                    WHERE melding_id = @id AND afgehandeld_op IS NULL ORDER BY aangemaakt_op
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    public static async Task<IReadOnlyList<Notitie>> NotitiesAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<Notitie>(
                new CommandDefinition(
                    """
                    SELECT door, tekst, aangemaakt_op AS aangemaaktop
                        FROM melding_notitie WHERE melding_id = @id ORDER BY aangemaakt_op DESC
                    """,
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    /// <summary>Other reports within 250 m filed in the 90 days around this one: candidates for duplicates.</summary>
    public static async Task<IReadOnlyList<Dichtbij>> DichtbijAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<Dichtbij>(
                new CommandDefinition(
                    """
                    SELECT n.id, n.volgcode, in_taal(r.naam, r.naam_en, @taal) AS rubriek, in_taal(s.naam, s.naam_en, @taal) AS statusnaam,
                        round(ST_Distance(n.locatie, m.locatie))::int AS afstand,
                           ST_Y(ST_Transform(n.locatie, 4326)) AS lat, ST_X(ST_Transform(n.locatie, 4326)) AS lon
                    FROM melding m
                    JOIN melding n ON n.id <> m.id AND ST_DWithin(n.locatie, m.locatie, 250)
                                  AND n.aangemaakt_op BETWEEN m.aangemaakt_op - interval '90 days' AND m.aangemaakt_op + interval '90 days'
                    JOIN rubriek r ON r.id = n.rubriek_id
                    JOIN meldingstatus s ON s.code = n.status
                    WHERE m.id = @id
                    ORDER BY ST_Distance(n.locatie, m.locatie), n.aangemaakt_op DESC
                    LIMIT 20
                    """,
                    new { id, taal = Taal.Code },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    public static async Task<IReadOnlyList<(long Id, string Volgcode)>> DuplicatenAsync(
        NpgsqlConnection connection,
        long id,
        CancellationToken cancellationToken
    ) =>
        (
            await connection.QueryAsync<(long, string)>(
                new CommandDefinition(
                    "SELECT id, volgcode FROM melding WHERE hoofdmelding_id = @id ORDER BY id",
                    new { id },
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();

    public static async Task<IReadOnlyList<Sjabloon>> SjablonenAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        (
            await connection.QueryAsync<Sjabloon>(
                new CommandDefinition(
                    "SELECT id, naam, tekst FROM antwoord_sjabloon WHERE actief ORDER BY volgorde, naam",
                    cancellationToken: cancellationToken
                )
            )
        ).AsList();
}
