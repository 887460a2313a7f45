using Npgsql;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Testing;

/// <summary>Base for a test class with its own fresh database (cloned from the migrated template).
/// <see cref="DataSource"/> connects as the app role, like the portal; <see cref="EigenaarDataSource"/>
/// as the owner role, for setup that only the owner may do (reference data, the demo seed).</summary>
public abstract class DatabaseTest : IAsyncLifetime
{
    protected TestDatabase Database { get; private set; } = null!;
    protected NpgsqlDataSource DataSource { get; private set; } = null!;
    protected NpgsqlDataSource EigenaarDataSource { get; private set; } = null!;

    /// <summary>The municipality the test's connections work for (wijk.gemeente, V81).</summary>
    protected virtual string Gemeente => TestGemeente.Code;

    public virtual async Task InitializeAsync()
    {
        GeometryTypeHandlers.Register();
        Database = await TestDatabase.CreateAsync();
        DataSource = Database.CreateDataSource(Gemeente);
        EigenaarDataSource = Database.CreateEigenaarDataSource(Gemeente);
    }

    public virtual async Task DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await EigenaarDataSource.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>Base for a test class that talks to the real app over its own fresh database.</summary>
public abstract class AppTest : DatabaseTest
{
    protected WijkAppFactory App { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        App = new WijkAppFactory(Database.ConnectionString);
    }

    public override async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await base.DisposeAsync();
    }
}
