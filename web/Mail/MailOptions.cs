using MailKit.Security;

namespace Wijkmeldingen.Web.Mail;

/// <summary>E-mail settings under <c>Mail</c>: the SMTP server the outbox sends through and how
/// the background sender behaves.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    public string SmtpHost { get; set; } = "127.0.0.1";

    public int SmtpPort { get; set; } = 25;

    /// <summary>The From address, with display name (RFC 5322 mailbox). Empty: the municipality profile's
    /// sender (Domein.GemeenteSetup fills it in).</summary>
    public string Afzender { get; set; } = "";

    /// <summary>SMTP login; no authentication when empty.</summary>
    public string? Gebruikersnaam { get; set; }

    public string? Wachtwoord { get; set; }

    /// <summary>Auto (STARTTLS when offered, TLS on port 465), None, StartTls or SslOnConnect.</summary>
    public SecureSocketOptions Beveiliging { get; set; } = SecureSocketOptions.Auto;

    /// <summary>Run the background sender in this process. False leaves mail in the outbox (tests,
    /// or a web process that should not send when another one does).</summary>
    public bool Verzenden { get; set; } = true;

    public int PollIntervalSeconden { get; set; } = 5;

    /// <summary>Rows claimed and sent per pass.</summary>
    public int BatchGrootte { get; set; } = 20;

    /// <summary>Attempts before the sender gives up on a row and leaves it, with its error, for staff.</summary>
    public int MaxPogingen { get; set; } = 10;

    /// <summary>Sent rows hold personal data (the address); they are deleted after this many days.</summary>
    public int BewaarVerzondenDagen { get; set; } = 30;

    /// <summary>The portal's public base URL, for links in mail.</summary>
    public string PortaalUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>An absolute link into the portal, e.g. <c>Link("volgen/ABCD-...")</c>.</summary>
    public string Link(string pad)
    {
        ArgumentNullException.ThrowIfNull(pad);
        return PortaalUrl.TrimEnd('/') + "/" + pad.TrimStart('/');
    }
}
