using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Geo.Geocoding;

namespace Wijkmeldingen.Tests.Geo;

/// <summary>The PostGIS fallback: imported addresses, postcodes, buurt and wijk names, reverse lookup.</summary>
public sealed class LokaleGeocoderTests : DatabaseTest
{
    private static readonly string[] TeststraatPunten =
    [
        "POINT(4.619 52.3521)",
        "POINT(4.6193 52.3522)",
        "POINT(4.6196 52.3526)",
        "POINT(4.6197 52.3527)",
    ];

    private LokaleGeocoder geocoder = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await TestAdressen.ImportAsync(EigenaarDataSource);
        geocoder = new LokaleGeocoder(DataSource);
    }

    [Theory]
    [InlineData("Teststraat 12")]
    [InlineData("teststraat  12 ")]
    [InlineData("Teststraat 12, Heemstede")]
    public async Task Finds_an_address_by_street_and_number_first(string q)
    {
        var gevonden = await geocoder.SuggestAsync(q, 10, CancellationToken.None);

        var eerste = gevonden[0];
        Assert.Equal("adres", eerste.Type);
        Assert.Equal("adres-TEST000000000003", eerste.Id);
        Assert.Equal("Teststraat 12, 2101ZZ Heemstede", eerste.Weergavenaam);
        Assert.Equal("POINT(4.6196 52.3526)", eerste.CentroideLl);
        Assert.Equal("BU03970000", eerste.Buurtcode);
        Assert.Equal("WK039700", eerste.Wijkcode);
        Assert.Equal("Teststraat 12a, 2101ZZ Heemstede", gevonden[1].Weergavenaam);
    }

    [Fact]
    public async Task A_street_without_number_is_found_as_a_street_on_one_of_its_addresses()
    {
        var gevonden = await geocoder.SuggestAsync("Teststraat", 10, CancellationToken.None);

        var weg = gevonden[0];
        Assert.Equal("weg", weg.Type);
        Assert.Equal("Teststraat, Heemstede", weg.Weergavenaam);
        Assert.Contains(weg.CentroideLl, TeststraatPunten);
    }

    [Fact]
    public async Task Finds_a_pc4_postcode_area()
    {
        var gevonden = await geocoder.SuggestAsync("2101", 10, CancellationToken.None);

        var eerste = gevonden[0];
        Assert.Equal("postcode", eerste.Type);
        Assert.Equal("postcode-2101", eerste.Id);
        Assert.Equal("Postcode 2101 (Heemstede)", eerste.Weergavenaam);
        Assert.Equal("POINT(4.6192 52.3524)", eerste.CentroideLl);
        Assert.Equal("BU03970000", eerste.Buurtcode);
    }

    [Theory]
    [InlineData("2101ZZ")]
    [InlineData("2101 zz")]
    public async Task Finds_a_pc6_postcode_from_the_imported_addresses(string q)
    {
        var gevonden = await geocoder.SuggestAsync(q, 10, CancellationToken.None);

        Assert.Equal("postcode-2101ZZ", gevonden[0].Id);
        Assert.Equal("Teststraat, 2101ZZ Heemstede", gevonden[0].Weergavenaam);
    }

    [Theory]
    [InlineData("Schouwbroekerpolder")]
    [InlineData("schouwbroeker")]
    [InlineData("Schouwbroekpolder")]
    public async Task Finds_a_buurt_by_name_with_a_point_inside_it(string q)
    {
        var gevonden = await geocoder.SuggestAsync(q, 10, CancellationToken.None);

        var buurt = gevonden[0];
        Assert.Equal("buurt", buurt.Type);
        Assert.Equal("buurt-BU03970005", buurt.Id);
        Assert.Equal("Buurt Schouwbroekerpolder, Heemstede", buurt.Weergavenaam);
        Assert.Equal("WK039700", buurt.Wijkcode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.True(
            await connection.QuerySingleAsync<bool>(
                "SELECT ST_Covers(geom, ST_Transform(ST_GeomFromText(@wkt, 4326), 28992)) FROM buurt WHERE code = 'BU03970005'",
                new { wkt = buurt.CentroideLl }
            )
        );
    }

    [Theory]
    [InlineData("Heemstede-Zuid", "WK039701")]
    [InlineData("west van de spoorbaan", "WK039702")]
    public async Task Finds_a_wijk_by_name(string q, string wijk)
    {
        var gevonden = await geocoder.SuggestAsync(q, 10, CancellationToken.None);

        Assert.Equal("wijk", gevonden[0].Type);
        Assert.Equal("wijk-" + wijk, gevonden[0].Id);
        Assert.Equal(wijk, gevonden[0].Wijkcode);
        Assert.Null(gevonden[0].Buurtcode);
    }

    [Theory]
    [InlineData("Amsterdam")]
    [InlineData("Teststraat 98")]
    [InlineData("1012ZZ")]
    public async Task Finds_nothing_outside_the_municipality(string q)
    {
        var gevonden = await geocoder.SuggestAsync(q, 10, CancellationToken.None);

        Assert.DoesNotContain(gevonden, s =>
            s.Weergavenaam.Contains("Amsterdam", StringComparison.Ordinal) || s.Weergavenaam.Contains(" 98", StringComparison.Ordinal)
        );
        if (q == "Amsterdam")
        {
            Assert.Empty(gevonden);
        }
    }

    [Fact]
    public async Task Respects_the_maximum()
    {
        Assert.Equal(2, (await geocoder.SuggestAsync("Teststraat 1", 2, CancellationToken.None)).Count);
        Assert.Empty(await geocoder.SuggestAsync("T", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Reverse_lookup_names_the_nearest_address()
    {
        // About 5 m from Teststraat 2, 20 m from Teststraat 1.
        var plaats = await geocoder.OmgekeerdAsync(52.35222, 4.61935, CancellationToken.None);

        Assert.Equal(new Plaatsnaam("Teststraat 2, Heemstede", "adres", "BU03970000", "WK039700"), plaats);
    }

    [Fact]
    public async Task Reverse_lookup_names_the_buurt_where_no_address_is_near()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var (lon, lat) = await connection.QuerySingleAsync<(double, double)>(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) AS p FROM buurt WHERE code = 'BU03970005') x"
        );

        var plaats = await geocoder.OmgekeerdAsync(lat, lon, CancellationToken.None);

        Assert.Equal(new Plaatsnaam("in de buurt Schouwbroekerpolder", "buurt", "BU03970005", "WK039700"), plaats);
    }

    [Fact]
    public async Task Reverse_lookup_outside_the_municipality_names_nothing()
    {
        Assert.Null(await geocoder.OmgekeerdAsync(52.3731, 4.8926, CancellationToken.None));
    }
}
