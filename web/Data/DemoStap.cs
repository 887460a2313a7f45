using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>Work on the demo data inside the seeder's transaction; returns how many rows it added or
/// removed.</summary>
public delegate Task<int> DemoActie(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);

/// <summary>
/// One part's demo data for a newcomer's first run (development only). The part that owns the data
/// registers its step (<c>services.AddDemoStap(...)</c>) in its Add…() setup, as with
/// <see cref="OpschoonRegel"/>; <see cref="DemoSeeder"/> runs every step after the demo reports, in
/// <see cref="Volgorde"/>, in one transaction. <see cref="VullenAsync"/> must be idempotent: it adds
/// nothing when its demo rows exist. <see cref="WissenAsync"/> removes only its own demo rows (for
/// <c>seed --opnieuw</c>; steps are wiped in reverse order before the demo reports go).
/// </summary>
public sealed record DemoStap(string Naam, int Volgorde, DemoActie VullenAsync)
{
    public DemoActie? WissenAsync { get; init; }

    /// <summary>Lines printed after seeding, e.g. the demo sign-in; <c>{url}</c> stands for the
    /// portal's address when the seed command knows it (<c>--url</c>), else nothing.</summary>
    public IReadOnlyList<string> Aanwijzingen { get; init; } = [];
}

public static class DemoStappen
{
    public static IServiceCollection AddDemoStap(this IServiceCollection services, DemoStap stap) => services.AddSingleton(stap);

    public static IServiceCollection AddDemoStap(this IServiceCollection services, Func<IServiceProvider, DemoStap> stap) =>
        services.AddSingleton(stap);
}

/// <summary>The seeder refuses to run in the Production environment: demo data (and demo staff
/// accounts with a known password) must never reach a real portal.</summary>
public sealed class DemoGeweigerdException(string message) : InvalidOperationException(message);
