using Microsoft.Extensions.Localization;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Meldingen.Acties;

/// <summary>One change applied to a selection of reports from the triage list: assign (a person or
/// nobody), move to a team, or change the status; a reason is required and goes into each report's
/// audit row. Each report is its own transaction under the same checks as the single action (life
/// cycle, partner for 'doorgezet', nothing to change), so a report that may not change is reported
/// by name and the others still change.</summary>
public sealed class BulkActie(
    NpgsqlDataSource dataSource,
    StatusActie status,
    ToewijzenActie toewijzen,
    IStringLocalizer<Wijkmeldingen.Web.BeheerTekst> b
)
{
    public const int Maximum = 200;
    public const int RedenMaximum = 500;

    public static readonly string[] Soorten = ["toewijzen", "team", "status"];

    /// <summary>What the form gives: the selected ids, the kind of change, its target ("{guid}" or ""
    /// for toewijzen, "team:{id}" for team, a status code for status), the partner for 'doorgezet' and the reason.</summary>
    public sealed record Invoer(IReadOnlyList<long> Ids, string? Soort, string? Doel, string? Partner, string? Reden);

    public sealed record Resultaat(long Id, string? Volgcode, string? Fout);

    /// <summary>Checks the form as a whole; the Dutch message per field, empty when it may run.</summary>
    public Dictionary<string, string> Controleer(Invoer invoer)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        var fouten = new Dictionary<string, string>();
        if (invoer.Ids.Count == 0)
        {
            fouten["selectie"] = b["bulk.fout.selectie"];
        }
        else if (invoer.Ids.Count > Maximum)
        {
            fouten["selectie"] = b["bulk.fout.teveel", Maximum];
        }
        if (!Soorten.Contains(invoer.Soort))
        {
            fouten["soort"] = b["bulk.fout.soort"];
        }
        else if (!DoelGeldig(invoer.Soort!, invoer.Doel))
        {
            fouten["doel"] = b["bulk.fout.doel"];
        }
        if (string.IsNullOrWhiteSpace(invoer.Reden))
        {
            fouten["reden"] = b["bulk.fout.reden"];
        }
        else if (invoer.Reden.Trim().Length > RedenMaximum)
        {
            fouten["reden"] = b["bulk.fout.redenlang", RedenMaximum];
        }
        return fouten;
    }

    private static bool DoelGeldig(string soort, string? doel) =>
        soort switch
        {
            "toewijzen" => string.IsNullOrEmpty(doel) || Guid.TryParse(doel, out _),
            "team" => ToewijzenActie.Lees(doel, out var m, out var t) && m is null && t is not null,
            "status" => !string.IsNullOrEmpty(doel),
            _ => false,
        };

    /// <summary>Runs the change on each report in turn (call <see cref="Controleer"/> first).</summary>
    public async Task<IReadOnlyList<Resultaat>> UitvoerenAsync(Invoer invoer, Actor door, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoer);
        ArgumentNullException.ThrowIfNull(door);
        if (Controleer(invoer).Count > 0)
        {
            throw new ArgumentException("invalid bulk input", nameof(invoer));
        }
        var reden = invoer.Reden!.Trim();
        var resultaten = new List<Resultaat>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var id in invoer.Ids.Distinct())
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            Actie.Rij? rij = null;
            try
            {
                rij = await Actie.VergrendelAsync(connection, transaction, id, cancellationToken);
                await WijzigAsync(connection, transaction, rij, invoer, reden, door, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                resultaten.Add(new Resultaat(id, rij.Volgcode, null));
            }
            catch (KeyNotFoundException)
            {
                await transaction.RollbackAsync(cancellationToken);
                resultaten.Add(new Resultaat(id, null, b["bulk.fout.onbekend"]));
            }
            catch (GeweigerdException geweigerd)
            {
                await transaction.RollbackAsync(cancellationToken);
                resultaten.Add(new Resultaat(id, rij?.Volgcode, geweigerd.Message));
            }
        }
        return resultaten;
    }

    private async Task WijzigAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        Actie.Rij rij,
        Invoer invoer,
        string reden,
        Actor door,
        CancellationToken cancellationToken
    )
    {
        if (invoer.Soort == "status")
        {
            var naar = invoer.Doel!;
            if (!Levenscyclus.Mag(rij.Status, naar))
            {
                throw new GeweigerdException(b["actie.fout.overgang"]);
            }
            if (naar == rij.Status)
            {
                throw new GeweigerdException(b["actie.fout.niets"]);
            }
            if (naar == "doorgezet" && !Levenscyclus.Partners.Contains(invoer.Partner))
            {
                throw new GeweigerdException(b["actie.fout.partner"]);
            }
            await status.WijzigenAsync(connection, transaction, rij, naar, null, invoer.Partner, door, cancellationToken, reden);
            return;
        }
        ToewijzenActie.Lees(invoer.Doel, out var medewerker, out var team);
        // As the single action does: a person keeps the team, a team frees the person, nobody clears both.
        var nieuwTeam = team ?? (medewerker is null ? null : rij.TeamId);
        if (medewerker == rij.ToegewezenAan && nieuwTeam == rij.TeamId)
        {
            throw new GeweigerdException(b["actie.fout.niets"]);
        }
        await toewijzen.WijzigenAsync(connection, transaction, rij, medewerker, team, door, reden, cancellationToken);
    }
}
