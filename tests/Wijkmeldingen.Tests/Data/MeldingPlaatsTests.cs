using Dapper;
using NetTopologySuite.Geometries;
using Npgsql;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Data;

namespace Wijkmeldingen.Tests.Data;

/// <summary>The database itself refuses a report outside the municipality and stores the buurt and
/// wijk of one inside it (trigger melding_plaats_in_gemeente).</summary>
public sealed class MeldingPlaatsTests : DatabaseTest
{
    // Raw on purpose: these tests check the database trigger itself (buurt and wijk from the point, refusal
    // outside the municipality), below any C# write path.
    private const string Insert = """
        INSERT INTO melding (rubriek_id, omschrijving, locatie)
        VALUES ((SELECT id FROM rubriek WHERE code = 'parkeeroverlast'), 'Auto op de stoep',
                ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992))
        RETURNING volgcode, buurt_code AS buurtcode, wijk_code AS wijkcode, status
        """;

    /// <summary>Places inside the loaded municipality with their buurt and wijk: three buurten, the first two in
    /// different wijken.</summary>
    public static TheoryData<double, double, string, string> Binnen =>
        TestGemeente.IsVoorbeeldstad
            ? new()
            {
                { 5.5087, 52.5152, "BU99990002", "WK999900" }, // PC4 9992 centroid, Molenwijk
                { 5.5390, 52.5140, "BU99990100", "WK999901" }, // PC4 9993 centroid, Polderrand
                { 5.4800, 52.5140, "BU99990000", "WK999900" }, // PC4 9991 centroid, Centrum
            }
            : new()
            {
                { 4.6192, 52.3524, "BU03970000", "WK039700" }, // PC4 2101 centroid, Centrum
                { 4.6126, 52.3318, "BU03970101", "WK039701" }, // PC4 2104 centroid, Glipper Dreef
                { 4.5973, 52.3438, "BU03970200", "WK039702" }, // west of the railway
            };

    /// <summary>Places outside it: far away, just over its edge, nowhere.</summary>
    public static TheoryData<double, double> Buiten =>
        TestGemeente.IsVoorbeeldstad
            ? new()
            {
                { 4.8926, 52.3731 }, // Amsterdam, Dam
                { 5.4500, 52.5140 }, // 500 m west of Voorbeeldstad's edge
                { 0.0, 0.0 },
            }
            : new()
            {
                { 4.8926, 52.3731 }, // Amsterdam, Dam
                { 4.6368, 52.3808 }, // Haarlem, Grote Markt: the neighbour just north
                { 0.0, 0.0 },
            };

    [Theory]
    [MemberData(nameof(Binnen))]
    public async Task A_point_inside_gets_its_buurt_and_wijk(double lon, double lat, string buurt, string wijk)
    {
        await using var connection = await DataSource.OpenConnectionAsync();

        var stored = await connection.QuerySingleAsync<(string Volgcode, string Buurtcode, string Wijkcode, string Status)>(
            Insert,
            new { lon, lat }
        );

        Assert.Equal(buurt, stored.Buurtcode);
        Assert.Equal(wijk, stored.Wijkcode);
        Assert.Equal("gemeld", stored.Status);
        Assert.Equal(19, stored.Volgcode.Length);
    }

    [Theory]
    [MemberData(nameof(Buiten))]
    public async Task A_point_outside_is_refused_with_a_clear_error(double lon, double lat)
    {
        await using var connection = await DataSource.OpenConnectionAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => connection.QuerySingleAsync(Insert, new { lon, lat }));

        Assert.True(error.IsBuitenGemeente());
        Assert.Equal("Locatie ligt buiten de gemeente", error.MessageText);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM melding"));
    }

    [Fact]
    public async Task Moving_a_report_outside_is_refused_and_moving_inside_updates_its_buurt()
    {
        // The first place of Binnen, then the second (in another wijk).
        var plaatsen = Binnen.Select(r => (Lon: (double)r[0], Lat: (double)r[1], Buurt: (string)r[2])).ToList();
        await using var connection = await DataSource.OpenConnectionAsync();
        var rd = new GeometryFactory(new PrecisionModel(), 28992);
        var code = (
            await connection.QuerySingleAsync<(string Volgcode, string, string, string)>(
                Insert,
                new { lon = plaatsen[0].Lon, lat = plaatsen[0].Lat }
            )
        ).Volgcode;
        var elders = await connection.QuerySingleAsync<Point>(
            "SELECT ST_Transform(ST_SetSRID(ST_MakePoint(@lon, @lat), 4326), 28992)",
            new { lon = plaatsen[1].Lon, lat = plaatsen[1].Lat }
        );

        var error = await Assert.ThrowsAsync<PostgresException>(() =>
            connection.ExecuteAsync(
                "UPDATE melding SET locatie = @p WHERE volgcode = @code",
                new { p = rd.CreatePoint(new Coordinate(0, 0)), code }
            )
        );
        await connection.ExecuteAsync("UPDATE melding SET locatie = @p WHERE volgcode = @code", new { p = elders, code });

        Assert.True(error.IsBuitenGemeente());
        Assert.Equal(
            plaatsen[1].Buurt,
            await connection.QuerySingleAsync<string>("SELECT buurt_code FROM melding WHERE volgcode = @code", new { code })
        );
    }
}
