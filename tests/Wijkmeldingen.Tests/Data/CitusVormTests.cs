using Dapper;
using Npgsql;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Data;

/// <summary>
/// Reads the catalog of a fully migrated database and fails on anything Citus would refuse when the
/// tenant tables are distributed by gemeente_code and the shared ones are reference tables
/// (infra/SCALE.md#citus): a primary key, unique constraint or unique index of a tenant table without
/// gemeente_code; a foreign key between tenant tables that does not pair gemeente_code with
/// gemeente_code; a foreign key from a shared table to a tenant table; a tenant table without its
/// row-level security policy; and a table nobody has classified as tenant or shared.
/// </summary>
public sealed class CitusVormTests : DatabaseTest
{
    /// <summary>Shared tables (Citus reference tables, or the installation's own). A new table goes either
    /// here or into huurder_tabel_lijst (a migration's INSERT), never nowhere.</summary>
    private static readonly string[] Gedeeld =
    [
        "gemeente",
        "wijk",
        "buurt",
        "hotspot_cel",
        "adres",
        "postcode_pc4",
        "meldingstatus",
        "prioriteit",
        "thema",
        "rubriek",
        "rubriek_vraag",
        "maatregel_type",
        "rol",
        "rubriek_model",
        "bewoner_zout",
        "app_recht",
        "data_protection_sleutel",
        "schema_migraties",
        "huurder_tabel_lijst",
        "spatial_ref_sys",
    ];

    [Fact]
    public async Task Every_key_and_foreign_key_of_a_tenant_table_leads_with_gemeente_code()
    {
        await using var eigenaar = await EigenaarDataSource.OpenConnectionAsync();

        var fouten = await FoutenAsync(eigenaar);

        Assert.True(fouten.Count == 0, string.Join("\n", fouten));
        Assert.True(await eigenaar.ExecuteScalarAsync<long>("SELECT count(*) FROM huurder_tabel_lijst") >= 40);
    }

    [Fact]
    public async Task The_check_finds_a_key_without_the_tenant_and_an_unclassified_table()
    {
        await using var eigenaar = await EigenaarDataSource.OpenConnectionAsync();
        await eigenaar.ExecuteAsync(
            """
            CREATE TABLE proef_huurder (id bigint PRIMARY KEY, gemeente_code text NOT NULL, code text UNIQUE,
                                        melding_id bigint,
                                        CONSTRAINT proef_huurder_melding_fk FOREIGN KEY (code, melding_id)
                                            REFERENCES melding (gemeente_code, id));
            INSERT INTO huurder_tabel_lijst VALUES ('proef_huurder');
            CREATE TABLE proef_los (id int PRIMARY KEY);
            """
        );

        var fouten = await FoutenAsync(eigenaar);

        Assert.Contains(fouten, f => f.Contains("proef_huurder_pkey", StringComparison.Ordinal));
        Assert.Contains(fouten, f => f.Contains("proef_huurder_code_key", StringComparison.Ordinal));
        Assert.Contains(fouten, f => f.Contains("proef_huurder_melding_fk: does not pair", StringComparison.Ordinal));
        Assert.Contains(fouten, f => f.Contains("proef_huurder: no row-level security", StringComparison.Ordinal));
        Assert.Contains(fouten, f => f.Contains("proef_los: neither", StringComparison.Ordinal));
    }

    private static async Task<List<string>> FoutenAsync(NpgsqlConnection c)
    {
        var fouten = new List<string>();
        var huurder = (await c.QueryAsync<string>("SELECT naam FROM huurder_tabel_lijst")).ToHashSet(StringComparer.Ordinal);

        // Every table is classified.
        var tabellen = await c.QueryAsync<string>(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p')"
        );
        fouten.AddRange(
            tabellen.Where(t => !huurder.Contains(t) && !Gedeeld.Contains(t)).Select(t => $"{t}: neither a tenant table nor shared")
        );

        // The tenant column, NOT NULL, and the policy.
        fouten.AddRange(
            await c.QueryAsync<string>(
                """
                SELECT l.naam || ': ' || CASE
                    WHEN a.attname IS NULL THEN 'no gemeente_code'
                    WHEN NOT a.attnotnull THEN 'gemeente_code may be null'
                    WHEN NOT k.relrowsecurity OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = k.oid)
                        THEN 'no row-level security' END
                FROM huurder_tabel_lijst l
                JOIN pg_class k ON k.relname = l.naam AND k.relnamespace = 'public'::regnamespace
                LEFT JOIN pg_attribute a ON a.attrelid = k.oid AND a.attname = 'gemeente_code' AND NOT a.attisdropped
                WHERE a.attname IS NULL OR NOT a.attnotnull OR NOT k.relrowsecurity
                   OR NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = k.oid)
                """
            )
        );

        // Unique indexes (primary keys and unique constraints are ones) of tenant tables hold gemeente_code.
        fouten.AddRange(
            await c.QueryAsync<string>(
                """
                SELECT k.relname || ': unique index ' || ic.relname || ' lacks gemeente_code'
                FROM pg_index i
                JOIN pg_class k ON k.oid = i.indrelid
                JOIN pg_class ic ON ic.oid = i.indexrelid
                JOIN huurder_tabel_lijst l ON l.naam = k.relname
                WHERE k.relnamespace = 'public'::regnamespace AND i.indisunique
                  AND NOT EXISTS (SELECT 1 FROM pg_attribute a
                                  WHERE a.attrelid = k.oid AND a.attname = 'gemeente_code' AND a.attnum = ANY (i.indkey))
                """
            )
        );

        // Foreign keys: between tenant tables they pair gemeente_code with gemeente_code; a shared table
        // never points at a tenant table.
        fouten.AddRange(
            await c.QueryAsync<string>(
                """
                SELECT f.conname || ': ' || CASE
                    WHEN NOT van THEN 'a shared table points at tenant table ' || f.confrelid::regclass::text
                    ELSE 'does not pair gemeente_code with gemeente_code' END
                FROM (
                    SELECT k.*, k.conrelid::regclass::text IN (SELECT naam FROM huurder_tabel_lijst) AS van,
                           k.confrelid::regclass::text IN (SELECT naam FROM huurder_tabel_lijst) AS naar
                    FROM pg_constraint k WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace
                ) f
                WHERE f.naar AND (NOT f.van OR NOT EXISTS (
                    SELECT 1 FROM unnest(f.conkey, f.confkey) AS p (van_att, naar_att)
                    JOIN pg_attribute av ON av.attrelid = f.conrelid AND av.attnum = p.van_att
                    JOIN pg_attribute an ON an.attrelid = f.confrelid AND an.attnum = p.naar_att
                    WHERE av.attname = 'gemeente_code' AND an.attname = 'gemeente_code'))
                """
            )
        );
        return fouten;
    }
}
