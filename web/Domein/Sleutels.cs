using System.Security.Cryptography;

namespace Wijkmeldingen.Web.Domein;

/// <summary>Every secret the portal hands out (the melder's private link, digest and walk sign-up
/// links, API keys, rating links) is 256 random bits, URL-safe; only its SHA-256 hash is stored.</summary>
public static class Sleutels
{
    /// <summary>256 random bits, URL-safe.</summary>
    public static string Nieuw() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>What the database keeps of a key.</summary>
    public static byte[] Hash(string sleutel) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sleutel));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
