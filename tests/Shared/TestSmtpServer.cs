using System.Net;
using System.Net.Sockets;
using System.Text;
using MimeKit;
using netDumbster.smtp;

namespace Wijkmeldingen.Testing;

/// <summary>
/// An in-process SMTP server (netDumbster) on a free loopback port that keeps what it receives.
/// A message is stored before the server answers 250, so once a send has returned it is in
/// <see cref="Messages"/>: no waiting needed.
/// </summary>
public sealed class TestSmtpServer : IDisposable
{
    private readonly SimpleSmtpServer server;

    private TestSmtpServer(SimpleSmtpServer server, int port)
    {
        this.server = server;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts a server on <paramref name="port"/>, or on a free port when none is given.</summary>
    public static TestSmtpServer Start(int? port = null)
    {
        var chosen = port ?? FreePort();
        return new TestSmtpServer(SimpleSmtpServer.Start(chosen), chosen);
    }

    /// <summary>A loopback port nothing listens on right now (netDumbster's Start(0) does not tell
    /// which port it got). Also useful for "the SMTP server is down".</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Configuration that points the app's mail at <paramref name="port"/> (plain SMTP,
    /// no background sender: run <c>OutboxSender.VerzendOpenstaandeAsync</c> yourself). Pass it
    /// to <see cref="WijkAppFactory"/>.</summary>
    public static Dictionary<string, string?> SettingsFor(int port) =>
        new()
        {
            ["Mail:SmtpHost"] = "127.0.0.1",
            ["Mail:SmtpPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Beveiliging"] = "None",
            ["Mail:Verzenden"] = "false",
        };

    public Dictionary<string, string?> Settings => SettingsFor(Port);

    /// <summary>Everything received so far, parsed by MimeKit, in no particular order.</summary>
    public IReadOnlyList<MimeMessage> Messages => [.. server.ReceivedEmail.Select(Parse)];

    public void Dispose() => server.Dispose();

    private static MimeMessage Parse(SmtpMessage message)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(message.Data));
        return MimeMessage.Load(stream);
    }
}
