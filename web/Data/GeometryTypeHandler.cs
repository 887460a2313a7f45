using System.Data;
using Dapper;
using NetTopologySuite.Geometries;
using Npgsql;
using NpgsqlTypes;

namespace Wijkmeldingen.Web.Data;

/// <summary>
/// Lets Dapper pass NetTopologySuite geometries as PostGIS parameters. Dapper refuses unknown
/// parameter types and would expand multi-geometries (they are IEnumerable&lt;Geometry&gt;) into
/// lists; a type handler per concrete type stops both. Reading needs no handler: the NTS-enabled
/// data source already returns NTS types.
/// </summary>
public sealed class GeometryTypeHandler<T> : SqlMapper.TypeHandler<T>
    where T : Geometry
{
    public static readonly GeometryTypeHandler<T> Default = new();

    public override void SetValue(IDbDataParameter parameter, T? value)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        parameter.Value = (object?)value ?? DBNull.Value;
        if (parameter is NpgsqlParameter npgsql)
        {
            npgsql.NpgsqlDbType = NpgsqlDbType.Geometry;
        }
    }

    public override T? Parse(object value) => (T?)value;
}

public static class GeometryTypeHandlers
{
    private static int registered;

    /// <summary>Registers the handlers once per process (Dapper's handler table is static).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
        {
            return;
        }
        SqlMapper.AddTypeHandler(GeometryTypeHandler<Geometry>.Default);
        SqlMapper.AddTypeHandler(GeometryTypeHandler<Point>.Default);
        SqlMapper.AddTypeHandler(GeometryTypeHandler<LineString>.Default);
        SqlMapper.AddTypeHandler(GeometryTypeHandler<Polygon>.Default);
        SqlMapper.AddTypeHandler(GeometryTypeHandler<MultiPoint>.Default);
        SqlMapper.AddTypeHandler(GeometryTypeHandler<MultiLineString>.Default);
        SqlMapper.AddTypeHandler(GeometryTypeHandler<MultiPolygon>.Default);
        SqlMapper.AddTypeHandler(GeometryTypeHandler<GeometryCollection>.Default);
    }
}
