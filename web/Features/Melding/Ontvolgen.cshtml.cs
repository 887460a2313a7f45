using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Melding;

/// <summary>/melding/{code}/ontvolgen/{sleutel}: the one-click "stop following" link from the
/// follower's e-mail. GET asks for confirmation (mail scanners follow links), POST deletes the
/// address.</summary>
public sealed class OntvolgenModel(NpgsqlDataSource dataSource) : PageModel
{
    public string Volgcode { get; private set; } = "";
    public bool Verwijderd { get; private set; }

    public async Task<IActionResult> OnGetAsync(string code, string sleutel, CancellationToken cancellationToken) =>
        await VolgerAsync(code, sleutel, cancellationToken) is null ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync(string code, string sleutel, CancellationToken cancellationToken)
    {
        if (await VolgerAsync(code, sleutel, cancellationToken) is not { } id)
        {
            return NotFound();
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(
            new CommandDefinition("DELETE FROM melding_volger WHERE id = @id", new { id }, cancellationToken: cancellationToken)
        );
        Verwijderd = true;
        return Page();
    }

    private async Task<long?> VolgerAsync(string code, string sleutel, CancellationToken cancellationToken)
    {
        if (Domein.Volgcode.Normaliseer(code) is not { } volgcode || string.IsNullOrEmpty(sleutel) || sleutel.Length > 100)
        {
            return null;
        }
        Volgcode = volgcode;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var volgers = await connection.QueryAsync<(long Id, byte[] Hash)>(
            new CommandDefinition(
                """
                SELECT v.id, v.sleutel_hash FROM melding_volger v JOIN melding m ON m.id = v.melding_id WHERE m.volgcode = @volgcode
                """,
                new { volgcode },
                cancellationToken: cancellationToken
            )
        );
        var hash = Sleutels.Hash(sleutel);
        return volgers.Where(v => CryptographicOperations.FixedTimeEquals(v.Hash, hash)).Select(v => (long?)v.Id).FirstOrDefault();
    }
}
