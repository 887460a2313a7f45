using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>SQLSTATE codes raised by our own triggers and functions (db/migrations).</summary>
public static class DatabaseErrors
{
    /// <summary>The melding's point lies outside every buurt of the municipality.</summary>
    public const string BuitenGemeente = "WK001";

    public static bool IsBuitenGemeente(this PostgresException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.SqlState == BuitenGemeente;
    }
}
