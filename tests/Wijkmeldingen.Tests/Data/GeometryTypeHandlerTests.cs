using Dapper;
using NetTopologySuite.Geometries;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Data;

/// <summary>Pins how geometries cross Dapper: as PostGIS parameters, never expanded into lists,
/// and back unchanged, coordinate for coordinate.</summary>
public sealed class GeometryTypeHandlerTests : DatabaseTest
{
    private static readonly GeometryFactory Rd = new(new PrecisionModel(), 28992);

    [Fact]
    public async Task Point_round_trips_exactly()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var point = Rd.CreatePoint(new Coordinate(103012.5, 485302.25));

        var back = await connection.QuerySingleAsync<Point>("SELECT @point::geometry", new { point });

        Assert.Equal(point, back);
        Assert.Equal(28992, back.SRID);
    }

    [Fact]
    public async Task MultiPolygon_is_one_parameter_not_an_expanded_list()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var square = Rd.CreatePolygon([new(0, 0), new(10, 0), new(10, 10), new(0, 10), new(0, 0)]);
        var other = Rd.CreatePolygon([new(20, 0), new(30, 0), new(30, 10), new(20, 10), new(20, 0)]);
        var multi = Rd.CreateMultiPolygon([square, other]);

        var result = await connection.QuerySingleAsync<(string Type, double Area, MultiPolygon Back)>(
            "SELECT GeometryType(@multi), ST_Area(@multi), @multi::geometry",
            new { multi }
        );

        Assert.Equal("MULTIPOLYGON", result.Type);
        Assert.Equal(200.0, result.Area);
        Assert.True(multi.EqualsExact(result.Back));
    }

    [Fact]
    public async Task Null_geometry_parameter_is_sql_null()
    {
        await using var connection = await DataSource.OpenConnectionAsync();

        var isNull = await connection.QuerySingleAsync<bool>("SELECT @point::geometry IS NULL", new { point = (Point?)null });

        Assert.True(isNull);
    }

    [Fact]
    public async Task Geometry_from_a_real_table_reads_as_nts_in_rd_new()
    {
        await using var connection = await DataSource.OpenConnectionAsync();

        var gemeente = await connection.QuerySingleAsync<MultiPolygon>(
            "SELECT geom FROM gemeente WHERE code = @code",
            new { code = TestGemeente.IsVoorbeeldstad ? Voorbeeldstad.Code : "GM0397" }
        );

        Assert.Equal(28992, gemeente.SRID);
        Assert.True(gemeente.IsValid);
        // CBS gives 964 ha for Heemstede; the generalised 2019 boundary measures 966 ha. Voorbeeldstad's land
        // is a rectangle of 6 by 4 km: 2,400 ha.
        if (TestGemeente.IsVoorbeeldstad)
        {
            Assert.InRange(gemeente.Area / 10_000, 2_395, 2_405);
        }
        else
        {
            Assert.InRange(gemeente.Area / 10_000, 955, 975);
        }
    }
}
