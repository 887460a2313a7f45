using System.Security.Cryptography;

namespace Wijkmeldingen.Web.Features.Wandelingen;

/// <summary>The short code a participant shows on the walk: six characters without look-alikes
/// (no I, O, 0, 1), easy to read out and type on a phone. Unique within its walk (V64), not secret:
/// it only lets an organiser, signed in, mark someone present.</summary>
public static class Incheckcode
{
    private const string Tekens = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Nieuw() => RandomNumberGenerator.GetString(Tekens, 6);

    /// <summary>What an organiser typed, as stored: upper case, spaces and dashes dropped; null when
    /// it cannot be a code.</summary>
    public static string? Normaliseer(string? invoer)
    {
        var code = new string((invoer ?? "").Where(c => c is not (' ' or '-')).ToArray()).ToUpperInvariant();
        return code.Length == 6 && code.All(c => Tekens.Contains(c, StringComparison.Ordinal)) ? code : null;
    }
}
