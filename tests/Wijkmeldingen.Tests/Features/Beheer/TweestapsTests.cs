using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Tests.Features.Beheer;

/// <summary>Optional sign-in with an authenticator app (TOTP, RFC 6238): switched on with a correct
/// code, then required after the password.</summary>
public sealed class TweestapsTests : AppTest
{
    [Fact]
    public async Task An_authenticator_code_switches_two_step_sign_in_on_and_is_then_required()
    {
        await BeheerAccounts.MaakAsync(App.Services, "wijkagent@heemstede.nl", "Wim Wijkagent", Rollen.Wijkprofessional);
        var client = await BeheerAccounts.IngelogdAsync(App, "wijkagent@heemstede.nl");
        var pagina = await client.OpenAsync("/beheer/tweestaps");
        await using var connection = await DataSource.OpenConnectionAsync();
        var sleutel = await connection.QuerySingleAsync<string>(
            "SELECT authenticator_sleutel FROM medewerker WHERE email = 'wijkagent@heemstede.nl'"
        );
        Assert.Contains(sleutel[..4].ToLowerInvariant(), pagina.Html);

        var fout = await client.PostAsync(
            "/beheer/tweestaps?handler=Aanzetten",
            pagina.Token,
            [new("Code", "000000" == Totp(sleutel) ? "111111" : "000000")]
        );
        var goed = await client.PostAsync("/beheer/tweestaps?handler=Aanzetten", pagina.Token, [new("Code", Totp(sleutel))]);

        Assert.Equal(HttpStatusCode.BadRequest, fout.StatusCode);
        // Switched on, the page shows the recovery codes once (HerstelcodesTests) instead of redirecting.
        Assert.Equal(HttpStatusCode.OK, goed.StatusCode);
        Assert.Contains("id=\"herstelcodes\"", await goed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(
            await connection.QuerySingleAsync<bool>("SELECT tweestaps_actief FROM medewerker WHERE email = 'wijkagent@heemstede.nl'")
        );

        var nieuw = new FormulierClient(
            App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false })
        );
        var inloggen = await nieuw.OpenAsync("/beheer/inloggen");
        var wachtwoord = await nieuw.PostAsync(
            "/beheer/inloggen",
            inloggen.Token,
            [new("Email", "wijkagent@heemstede.nl"), new("Wachtwoord", BeheerAccounts.Wachtwoord)]
        );
        Assert.StartsWith("/beheer/inloggen/code", wachtwoord.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await nieuw.Http.GetAsync("/beheer/meldingen")).StatusCode);

        var codePagina = await nieuw.OpenAsync("/beheer/inloggen/code");
        var code = await nieuw.PostAsync("/beheer/inloggen/code", codePagina.Token, [new("Code", Totp(sleutel))]);

        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await nieuw.Http.GetAsync("/beheer/meldingen")).StatusCode);
    }

    /// <summary>The current 6-digit TOTP for a base32 key (HMAC-SHA1, 30-second steps).</summary>
    private static string Totp(string base32)
    {
        var key = Base32(base32);
        Span<byte> teller = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(teller, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);
#pragma warning disable CA5350 // RFC 6238 authenticator apps use HMAC-SHA1; the test must compute what they compute.
        var hash = HMACSHA1.HashData(key, teller);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var getal = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (getal % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string tekst)
    {
        const string alfabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0,
            bits = 0;
        foreach (var c in tekst.TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alfabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
