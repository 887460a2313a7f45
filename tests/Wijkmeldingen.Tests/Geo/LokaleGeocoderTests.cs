using System.Globalization;
using Dapper;
using Wijkmeldingen.Testing;
using Wijkmeldingen.Web.Geo.Geocoding;

namespace Wijkmeldingen.Tests.Geo;

/// <summary>The PostGIS fallback: imported addresses, postcodes, buurt and wijk names, reverse lookup.</summary>
public sealed class LokaleGeocoderTests : DatabaseTest
{
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
    [InlineData("Teststraat 12, {0}")]
    public async Task Finds_an_address_by_street_and_number_first(string vraag)
    {
        var q = string.Format(CultureInfo.InvariantCulture, vraag, TestAdressen.Woonplaats);
        var gevonden = await geocoder.SuggestAsync(q, 10, CancellationToken.None);

        var eerste = gevonden[0];
        Assert.Equal("adres", eerste.Type);
        Assert.Equal("adres-TEST000000000003", eerste.Id);
        Assert.Equal($"Teststraat 12, {TestAdressen.Postcode} {TestAdressen.Woonplaats}", eerste.Weergavenaam);
        Assert.Equal(TestAdressen.Teststraat12Punt, eerste.CentroideLl);
        Assert.Equal(TestAdressen.Buurt, eerste.Buurtcode);
        Assert.Equal(TestAdressen.Wijk, eerste.Wijkcode);
        Assert.Equal($"Teststraat 12a, {TestAdressen.Postcode} {TestAdressen.Woonplaats}", gevonden[1].Weergavenaam);
    }

    [Fact]
    public async Task A_street_without_number_is_found_as_a_street_on_one_of_its_addresses()
    {
        var gevonden = await geocoder.SuggestAsync("Teststraat", 10, CancellationToken.None);

        var weg = gevonden[0];
        Assert.Equal("weg", weg.Type);
        Assert.Equal($"Teststraat, {TestAdressen.Woonplaats}", weg.Weergavenaam);
        Assert.Contains(weg.CentroideLl, TestAdressen.TeststraatPunten);
    }

    [Fact]
    public async Task Finds_a_pc4_postcode_area()
    {
        var gevonden = await geocoder.SuggestAsync(TestAdressen.Pc4, 10, CancellationToken.None);

        var eerste = gevonden[0];
        Assert.Equal("postcode", eerste.Type);
        Assert.Equal("postcode-" + TestAdressen.Pc4, eerste.Id);
        Assert.Equal($"Postcode {TestAdressen.Pc4} ({TestAdressen.Woonplaats})", eerste.Weergavenaam);
        Assert.Equal(TestAdressen.Pc4Punt, eerste.CentroideLl);
        Assert.Equal(TestAdressen.Buurt, eerste.Buurtcode);
    }

    [Theory]
    [InlineData("{0}{1}")]
    [InlineData("{0} zz")]
    public async Task Finds_a_pc6_postcode_from_the_imported_addresses(string vraag)
    {
        var q = string.Format(CultureInfo.InvariantCulture, vraag, TestAdressen.Pc4, TestAdressen.Postcode[4..]);
        var gevonden = await geocoder.SuggestAsync(q, 10, CancellationToken.None);

        Assert.Equal("postcode-" + TestAdressen.Postcode, gevonden[0].Id);
        Assert.Equal($"Teststraat, {TestAdressen.Postcode} {TestAdressen.Woonplaats}", gevonden[0].Weergavenaam);
    }

    [Theory]
    [MemberData(nameof(TestAdressen.LegeBuurtZoekvragen), MemberType = typeof(TestAdressen))]
    public async Task Finds_a_buurt_by_name_with_a_point_inside_it(string q)
    {
        var gevonden = await geocoder.SuggestAsync(q, 10, CancellationToken.None);

        var buurt = gevonden[0];
        Assert.Equal("buurt", buurt.Type);
        Assert.Equal("buurt-" + TestAdressen.LegeBuurt, buurt.Id);
        Assert.Equal($"Buurt {TestAdressen.LegeBuurtNaam}, {TestGemeente.Naam}", buurt.Weergavenaam);
        Assert.Equal(TestAdressen.LegeBuurtWijk, buurt.Wijkcode);
        await using var connection = await DataSource.OpenConnectionAsync();
        Assert.True(
            await connection.QuerySingleAsync<bool>(
                "SELECT ST_Covers(geom, ST_Transform(ST_GeomFromText(@wkt, 4326), 28992)) FROM buurt WHERE code = @code",
                new { wkt = buurt.CentroideLl, code = TestAdressen.LegeBuurt }
            )
        );
    }

    [Theory]
    [MemberData(nameof(TestAdressen.WijkZoekvragen), MemberType = typeof(TestAdressen))]
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
        var (lat, lon) = TestAdressen.BijTeststraat2;
        var plaats = await geocoder.OmgekeerdAsync(lat, lon, CancellationToken.None);

        Assert.Equal(new Plaatsnaam($"Teststraat 2, {TestAdressen.Woonplaats}", "adres", TestAdressen.Buurt, TestAdressen.Wijk), plaats);
    }

    [Fact]
    public async Task Reverse_lookup_names_the_buurt_where_no_address_is_near()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        var (lon, lat) = await connection.QuerySingleAsync<(double, double)>(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Transform(ST_PointOnSurface(geom), 4326) AS p FROM buurt WHERE code = @code) x",
            new { code = TestAdressen.LegeBuurt }
        );

        var plaats = await geocoder.OmgekeerdAsync(lat, lon, CancellationToken.None);

        Assert.Equal(
            new Plaatsnaam("in de buurt " + TestAdressen.LegeBuurtNaam, "buurt", TestAdressen.LegeBuurt, TestAdressen.LegeBuurtWijk),
            plaats
        );
    }

    [Fact]
    public async Task Reverse_lookup_outside_the_municipality_names_nothing()
    {
        Assert.Null(await geocoder.OmgekeerdAsync(52.3731, 4.8926, CancellationToken.None));
    }
}
