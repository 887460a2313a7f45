using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;
using Wijkmeldingen.Web.Domein;
using Wijkmeldingen.Web.Mail;

namespace Wijkmeldingen.Tests.Mail;

/// <summary>A fresh database plus senders wired exactly as the app wires them (AddMail), pointed
/// at a test SMTP port; the tests drive the sender pass by pass instead of waiting for its loop.</summary>
public abstract class MailTest : DatabaseTest
{
    private readonly List<ServiceProvider> providers = [];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // As AddDatabase does for the app: laatste_fout maps to LaatsteFout.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    protected OutboxSender CreateSender(int smtpPort, params (string Key, string Value)[] settings)
    {
        var values = TestSmtpServer.SettingsFor(smtpPort);
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var provider = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(DataSource)
            .AddDatabaseResilience()
            .AddMail(configuration)
            // Mail:Afzender unset: the sender comes from the municipality profile, as in the app.
            .AddGemeenteProfiel()
            .BuildServiceProvider();
        providers.Add(provider);
        return provider.GetRequiredService<OutboxSender>();
    }

    protected async Task<bool> EnqueueAsync(OutboxBericht bericht)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await Outbox.EnqueueAsync(connection, null, bericht);
    }

    protected async Task<OutboxRow> RowAsync(string sleutel)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await connection.QuerySingleAsync<OutboxRow>(
            """
            SELECT pogingen, laatste_fout, verzonden_op, volgende_poging_op > now() AS later_due,
                   volgende_poging_op = 'infinity' AS given_up
            FROM mail_outbox WHERE sleutel = @sleutel
            """,
            new { sleutel }
        );
    }

    /// <summary>Makes every row due now, as if its backoff or claim had expired; sent rows too, so a
    /// sender that looked only at the due time would send them again.</summary>
    protected async Task MakeDueAsync()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE mail_outbox SET volgende_poging_op = now()");
    }

    public override async Task DisposeAsync()
    {
        foreach (var provider in providers)
        {
            await provider.DisposeAsync();
        }
        await base.DisposeAsync();
    }

    protected sealed record OutboxRow(int Pogingen, string? LaatsteFout, DateTime? VerzondenOp, bool LaterDue, bool GivenUp);
}
