using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Tests.Data;

/// <summary>
/// The portal's database role owns nothing (docs/database.md#roles): the migrations ran as the owner
/// role, and the app role (<see cref="DatabaseTest.DataSource"/>, as the portal connects) cannot drop
/// or disable the audit trail's triggers, nor change or remove audit rows, nor drop a table.
/// </summary>
public sealed class AppRolRechtenTests : DatabaseTest
{
    private const string InsufficientPrivilege = "42501";

    /// <summary>The audit table's two triggers, both enabled (pg_trigger.tgenabled 'O').</summary>
    private static readonly string[] AuditTriggersAan = ["audit_alleen_toevoegen O", "audit_niet_legen O"];

    [Fact]
    public async Task The_app_role_owns_no_table_sequence_or_function_and_the_owner_owns_them_all()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var rol = await connection.QuerySingleAsync<(string Naam, bool Super)>(
            "SELECT rolname, rolsuper FROM pg_roles WHERE rolname = current_user"
        );
        Assert.Equal((TestRollen.App, false), rol);

        var vanApp = (
            await connection.QueryAsync<string>(
                """
                SELECT c.relkind::text || ' ' || c.relname FROM pg_class c
                WHERE c.relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                UNION ALL
                SELECT 'function ' || p.proname FROM pg_proc p
                WHERE p.proowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                UNION ALL
                SELECT 'schema ' || n.nspname FROM pg_namespace n
                WHERE n.nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                UNION ALL
                SELECT 'database ' || d.datname FROM pg_database d
                WHERE d.datdba = (SELECT oid FROM pg_roles WHERE rolname = current_user)
                """
            )
        ).ToList();
        Assert.Empty(vanApp);

        // Everything of the portal's own in the schema (PostGIS's objects belong to the extension) is
        // the owner role's, so nothing was created by the app role or left to the superuser.
        var eigenaars = (
            await connection.QueryAsync<(string Soort, string Naam, string Eigenaar)>(
                """
                SELECT 'relation', c.relname::text, pg_get_userbyid(c.relowner)::text FROM pg_class c
                WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
                UNION ALL
                SELECT 'function', p.proname::text, pg_get_userbyid(p.proowner)::text FROM pg_proc p
                WHERE p.pronamespace = 'public'::regnamespace
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
                """
            )
        ).ToList();
        Assert.Contains(eigenaars, e => e == ("relation", "audit", TestRollen.Eigenaar));
        Assert.Contains(eigenaars, e => e == ("relation", "melding", TestRollen.Eigenaar));
        Assert.Contains(eigenaars, e => e == ("relation", "schema_migraties", TestRollen.Eigenaar));
        Assert.Contains(eigenaars, e => e == ("function", "audit_alleen_toevoegen", TestRollen.Eigenaar));
        Assert.True(eigenaars.Count > 60, $"only {eigenaars.Count} objects found");
        Assert.DoesNotContain(eigenaars, e => e.Eigenaar != TestRollen.Eigenaar);
    }

    [Fact]
    public async Task Only_the_audit_blanking_function_runs_with_its_owners_rights_and_with_a_fixed_search_path()
    {
        // Triggers (the audit trail's among them) and queries' functions run as the role that calls
        // them: a SECURITY DEFINER function hands the app role the owner's rights. The one exception is
        // audit_anonimiseren (V69): it blanks the texts of anonymised reports' audit rows, nothing else,
        // and its search_path is fixed so the caller cannot slip in its own objects. (PostGIS's own,
        // owned by the superuser that made the extension, are not the portal's.)
        await using var connection = await DataSource.OpenConnectionAsync();
        var definers = await connection.QueryAsync<(string Naam, string? Instellingen)>(
            """
            SELECT p.proname, array_to_string(p.proconfig, ',') FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
            """
        );
        Assert.Equal([("audit_anonimiseren", "search_path=public, pg_temp")], definers);
    }

    public static TheoryData<string> Geweigerd =>
        new()
        {
            "DELETE FROM audit",
            "UPDATE audit SET actie = 'anders'",
            "TRUNCATE audit",
            "ALTER TABLE audit DISABLE TRIGGER audit_alleen_toevoegen",
            "ALTER TABLE audit DISABLE TRIGGER audit_niet_legen",
            "ALTER TABLE audit DISABLE TRIGGER ALL",
            "DROP TRIGGER audit_alleen_toevoegen ON audit",
            "DROP TRIGGER audit_niet_legen ON audit",
            "DROP FUNCTION audit_alleen_toevoegen() CASCADE",
            "DROP TABLE audit",
            "DROP TABLE melding",
            "DROP TABLE melding CASCADE",
            "ALTER TABLE melding DISABLE TRIGGER melding_routering",
            "ALTER TABLE melding OWNER TO wijk_app",
            "TRUNCATE melding CASCADE",
            "CREATE TABLE eigen (id int)",
            "UPDATE schema_migraties SET success = false",
            "DELETE FROM schema_migraties",
            "UPDATE buurt SET naam = 'x'",
            "DELETE FROM adres",
            "SELECT app_rechten_geven('wijk_app')",
        };

    [Theory]
    [MemberData(nameof(Geweigerd))]
    public async Task The_app_role_is_refused(string sql)
    {
        await using (var eigenaar = await EigenaarDataSource.OpenConnectionAsync())
        {
            await eigenaar.ExecuteAsync("INSERT INTO audit (door, actie) VALUES ('test', 'bewaard')");
        }
        await using var connection = await DataSource.OpenConnectionAsync();

        var fout = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql));

        Assert.True(
            fout.SqlState == InsufficientPrivilege,
            $"{sql}: expected SQLSTATE {InsufficientPrivilege}, got {fout.SqlState} {fout.MessageText}"
        );
        Assert.Matches("^(permission denied|must be owner)", fout.MessageText);
        // Nothing changed: the row, both triggers (enabled) and the tables are there.
        await using var controle = await EigenaarDataSource.OpenConnectionAsync();
        Assert.Equal(1, await controle.ExecuteScalarAsync<long>("SELECT count(*) FROM audit WHERE actie = 'bewaard'"));
        Assert.Equal(
            AuditTriggersAan,
            await controle.QueryAsync<string>(
                """
                SELECT tgname || ' ' || tgenabled::text FROM pg_trigger
                WHERE tgrelid = 'audit'::regclass AND NOT tgisinternal ORDER BY tgname
                """
            )
        );
        Assert.NotNull(await controle.ExecuteScalarAsync<string>("SELECT to_regclass('melding')::text"));
        Assert.Null(await controle.ExecuteScalarAsync<string>("SELECT to_regclass('eigen')::text"));
    }

    [Fact]
    public async Task The_app_role_writes_and_reads_the_audit_trail()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Web.Domein.Audit.SchrijfAsync(connection, transaction, null, "proef", 42, null, new { x = 1 }, CancellationToken.None);
        await transaction.CommitAsync();

        var regels = await Web.Domein.Audit.VoorMeldingAsync(connection, 42, CancellationToken.None);

        Assert.Equal("proef", Assert.Single(regels).Actie);
    }

    [Fact]
    public async Task Tables_of_later_migrations_get_the_app_roles_privileges_and_a_second_call_changes_nothing()
    {
        await using (var eigenaar = await EigenaarDataSource.OpenConnectionAsync())
        {
            Assert.Equal(0, await eigenaar.ExecuteScalarAsync<int>("SELECT app_rechten_geven('wijk_app')"));
            // What a later migration does, as the owner: the default privileges apply.
            await eigenaar.ExecuteAsync("CREATE TABLE later_toegevoegd (id bigint GENERATED ALWAYS AS IDENTITY, naam text)");
        }
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO later_toegevoegd (naam) VALUES ('a'), ('b')");
        await connection.ExecuteAsync("UPDATE later_toegevoegd SET naam = 'c' WHERE naam = 'a'");
        await connection.ExecuteAsync("DELETE FROM later_toegevoegd WHERE naam = 'b'");
        Assert.Equal("c", await connection.ExecuteScalarAsync<string>("SELECT naam FROM later_toegevoegd"));
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("TRUNCATE later_toegevoegd"));
        Assert.Equal(InsufficientPrivilege, truncate.SqlState);
        var drop = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync("DROP TABLE later_toegevoegd"));
        Assert.Equal(InsufficientPrivilege, drop.SqlState);
    }

    [Fact]
    public async Task A_row_in_app_recht_narrows_a_tables_privileges_at_the_next_call()
    {
        await using (var eigenaar = await EigenaarDataSource.OpenConnectionAsync())
        {
            await eigenaar.ExecuteAsync("CREATE TABLE later_logboek (regel text)");
            await eigenaar.ExecuteAsync(
                "INSERT INTO app_recht (tabel, rechten, waarom) VALUES ('later_logboek', '{SELECT,INSERT}', 'test')"
            );
            Assert.Equal(2, await eigenaar.ExecuteScalarAsync<int>("SELECT app_rechten_geven('wijk_app')"));
        }
        await using var connection = await DataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("INSERT INTO later_logboek VALUES ('een')");
        foreach (var sql in new[] { "UPDATE later_logboek SET regel = 'x'", "DELETE FROM later_logboek" })
        {
            var fout = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(sql));
            Assert.Equal(InsufficientPrivilege, fout.SqlState);
        }
        Assert.Equal("een", await connection.ExecuteScalarAsync<string>("SELECT regel FROM later_logboek"));
    }

    [Fact]
    public async Task Without_an_owner_connection_string_everything_runs_over_the_one_connection_as_before()
    {
        // An installation from before: one connection string, that of the role owning the tables.
        await using var app = new WijkAppFactory(Database.EigenaarConnectionString);
        var client = app.CreateClient();

        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        var eigenaar = app.Services.GetRequiredService<EigenaarDatabase>();
        Assert.False(eigenaar.IsApart);
        Assert.Same(app.Services.GetRequiredService<NpgsqlDataSource>(), eigenaar.Bron);
        await using var connection = await eigenaar.Bron.OpenConnectionAsync();
        Assert.Equal(TestRollen.Eigenaar, await connection.ExecuteScalarAsync<string>("SELECT current_user"));
    }

    [Fact]
    public async Task With_both_connection_strings_the_portal_serves_as_the_app_role_and_migrates_as_the_owner()
    {
        await using var app = new WijkAppFactory(Database.ConnectionString);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await app.CreateClient().GetAsync("/health/ready")).StatusCode);

        var eigenaar = app.Services.GetRequiredService<EigenaarDatabase>();
        Assert.True(eigenaar.IsApart);
        await using (var connection = await eigenaar.Bron.OpenConnectionAsync())
        {
            Assert.Equal(TestRollen.Eigenaar, await connection.ExecuteScalarAsync<string>("SELECT current_user"));
        }
        await using (var connection = await app.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            Assert.Equal(TestRollen.App, await connection.ExecuteScalarAsync<string>("SELECT current_user"));
        }
    }
}
