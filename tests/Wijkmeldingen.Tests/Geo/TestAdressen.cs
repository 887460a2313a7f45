using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Wijkmeldingen.Web.Geo.Geocoding;

namespace Wijkmeldingen.Tests.Geo;

/// <summary>
/// A tiny, clearly fictional address extract for the tests: "Teststraat" and "Proefweg" do not exist
/// and the TEST… ids are not BAG ids. Nothing like it ships with the app. Two rows lie outside the
/// municipality and one is malformed, so the importer has something to skip.
/// </summary>
public static class TestAdressen
{
    public const string Csv = """
        bag_id,straat,huisnummer,huisletter,toevoeging,postcode,woonplaats,lat,lon
        TEST000000000001,Teststraat,1,,,2101ZZ,Heemstede,52.35210,4.61900
        TEST000000000002,Teststraat,2,,,2101ZZ,Heemstede,52.35220,4.61930
        TEST000000000003,Teststraat,12,,,2101ZZ,Heemstede,52.35260,4.61960
        TEST000000000004,Teststraat,12,a,,2101 zz,Heemstede,52.35270,4.61970
        TEST000000000005,"Proefweg",3,,2,2104ZZ,Heemstede,52.33180,4.61260
        TEST000000000098,Teststraat,98,,,1012ZZ,Amsterdam,52.37310,4.89260
        TEST000000000099,Teststraat,99,,,2011ZZ,Haarlem,52.38080,4.63680
        TEST000000000100,Teststraat,honderd,,,2101ZZ,Heemstede,52.35200,4.61900
        """;

    public const int Binnen = 5;
    public const int Buiten = 2;
    public const int Ongeldig = 1;

    public static Task<AdresImportResultaat> ImportAsync(NpgsqlDataSource dataSource, string csv = Csv) =>
        new AdresImport(dataSource, NullLogger<AdresImport>.Instance).ImportAsync(new StringReader(csv));
}
