using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// The connection of the database's owner role: the one that runs the migrations and the commands
/// that change the schema or reference data (<c>migrate</c>, <c>seed</c>, <c>import-adressen</c>).
/// With <c>ConnectionStrings:WijkmeldingenEigenaar</c> set it is its own <see cref="NpgsqlDataSource"/>
/// and the portal serves requests as the app role of <c>ConnectionStrings:Wijkmeldingen</c>, which
/// owns nothing (docs/database.md#roles); unset, both are the one connection of
/// <c>ConnectionStrings:Wijkmeldingen</c>, as before.
/// </summary>
public sealed class EigenaarDatabase(NpgsqlDataSource bron, bool isApart)
{
    public NpgsqlDataSource Bron { get; } = bron;

    /// <summary>True when the owner connects with its own connection string (two roles).</summary>
    public bool IsApart { get; } = isApart;
}
