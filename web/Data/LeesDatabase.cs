using Npgsql;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// Where reads that may lag a little go: the public map and its feeds, open data, boundaries, wijk
/// pictures, hotspots and the Open311 GETs. With <c>ConnectionStrings:Lezen</c> set that is a
/// streaming read replica (its own <see cref="NpgsqlDataSource"/>); unset, it is the primary. Writes,
/// the back office, sign-in, Data Protection keys and anything read right after it was written
/// (tracking page, confirmation page, tokens) always use the primary <see cref="NpgsqlDataSource"/>.
/// </summary>
public sealed class LeesDatabase(NpgsqlDataSource bron, bool isReplica)
{
    public NpgsqlDataSource Bron { get; } = bron;

    /// <summary>True when reads go to a separate replica connection string.</summary>
    public bool IsReplica { get; } = isReplica;
}
