using System.Net;
using Dapper;
using MetadataExtractor;
using MetadataExtractor.Formats.Exif;
using Wijkmeldingen.Testing;

namespace Wijkmeldingen.Tests.Features.Wandelingen;

/// <summary>After the walk: the organiser writes a summary and adds photos on the staff report page,
/// and the public report shows them with the attendance and the public findings of the walk; photos
/// lose their metadata, and nothing is public before the walk is over.</summary>
public sealed class WandelingNaverslagTests : AppTest
{
    [Fact]
    public async Task The_public_report_shows_summary_photos_without_metadata_attendance_and_public_findings_only()
    {
        var id = await Een.Wandeling(App.Services).Titel("Avondschouw").Over(TimeSpan.FromDays(-2)).Duur(60).OpgeslagenAsync();
        await using var connection = await DataSource.OpenConnectionAsync();
        // Raw on purpose: participants of a walk that has already taken place (sign-up closes at the start);
        // Anna (3) was checked in, Bram (2) signed up but did not come.
        await connection.ExecuteAsync(
            """
            INSERT INTO wandeling_aanmelding (wandeling_id, naam, email, aantal_personen, soort, sleutel_hash, code, aanwezig_op)
            VALUES (@id, 'Anna', 'anna@example.nl', 3, 'deelnemer', '\x0a', 'AAAAAA', now()),
                   (@id, 'Bram', 'bram@example.nl', 2, 'deelnemer', '\x0b', 'BBBBBB', NULL)
            """,
            new { id }
        );
        var parkeren = await Een.Melding(DataSource).UitWandeling(id).Rubriek("parkeeroverlast").Met("Auto op de stoep.").OpgeslagenAsync();
        var zorg = await Een.Melding(DataSource).UitWandeling(id).Rubriek("zorgen-om-iemand").Met("Verwarde man.").OpgeslagenAsync();
        var organisator = await WandelingBeheerTests.OrganisatorAsync(App);
        var pad = $"/beheer/wandelingen/{id}/verslag";

        var pagina = await organisator.OpenAsync(pad);
        var teLang = await organisator.PostAsync($"{pad}?handler=Samenvatting", pagina.Token, [new("Samenvatting", new string('x', 5001))]);
        var samenvatting = await organisator.PostAsync(
            $"{pad}?handler=Samenvatting",
            pagina.Token,
            [new("Samenvatting", "We liepen met twaalf buren langs het speelveld. De gemeente zet er bankjes neer.")]
        );
        var zonderBeschrijving = await organisator.PostAsync(
            $"{pad}?handler=Foto",
            pagina.Token,
            [new("Beschrijving", "")],
            [("Foto", "speelveld.jpg", TestFotos.JpegMetGps(52.3526, 4.6195), "image/jpeg")]
        );
        var geenFoto = await organisator.PostAsync(
            $"{pad}?handler=Foto",
            pagina.Token,
            [new("Beschrijving", "Iets anders")],
            [("Foto", "geen.jpg", TestFotos.GeenFoto(), "image/jpeg")]
        );
        var foto = await organisator.PostAsync(
            $"{pad}?handler=Foto",
            pagina.Token,
            [new("Beschrijving", "Het speelveld met de kapotte bank")],
            [("Foto", "speelveld.jpg", TestFotos.JpegMetGps(52.3526, 4.6195), "image/jpeg")]
        );

        Assert.Equal(HttpStatusCode.BadRequest, teLang.StatusCode);
        Assert.Contains("De samenvatting is te lang", await teLang.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, samenvatting.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, zonderBeschrijving.StatusCode);
        Assert.Contains("Beschrijf de foto in hoogstens 300 tekens.", await zonderBeschrijving.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, geenFoto.StatusCode);
        var geenFotoHtml = await geenFoto.Content.ReadAsStringAsync();
        Assert.Contains("class=\"fout\" id=\"fout-Foto\"", geenFotoHtml);
        Assert.Contains("value=\"Iets anders\"", geenFotoHtml);
        Assert.Equal(HttpStatusCode.Redirect, foto.StatusCode);

        var publiek = await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}/verslag");
        Assert.Contains("We liepen met twaalf buren langs het speelveld.", publiek);
        Assert.Contains("<dd id=\"aanwezig\">3 personen</dd>", publiek);
        Assert.Contains("alt=\"Het speelveld met de kapotte bank\"", publiek);
        Assert.Contains("Parkeeroverlast", publiek);
        Assert.DoesNotContain("Zorgen om iemand", publiek);
        Assert.DoesNotContain(parkeren.Volgcode, publiek);
        Assert.DoesNotContain(zorg.Volgcode, publiek);
        Assert.DoesNotContain("Anna", publiek);
        Assert.Contains($"/wijkwandelingen/{id}/verslag", await App.CreateClient().GetStringAsync($"/wijkwandelingen/{id}"));

        var fotoId = await connection.QuerySingleAsync<long>("SELECT id FROM wandeling_foto WHERE wandeling_id = @id", new { id });
        Assert.Contains($"/wijkwandelingen/{id}/fotos/{fotoId}.jpg", publiek);
        var bestand = await App.CreateClient().GetAsync($"/wijkwandelingen/{id}/fotos/{fotoId}.jpg");
        Assert.Equal(HttpStatusCode.OK, bestand.StatusCode);
        Assert.Equal("image/jpeg", bestand.Content.Headers.ContentType?.MediaType);
        var metadata = ImageMetadataReader.ReadMetadata(new MemoryStream(await bestand.Content.ReadAsByteArrayAsync()));
        Assert.Empty(metadata.OfType<GpsDirectory>());
        Assert.Empty(metadata.OfType<ExifDirectoryBase>());
    }

    [Fact]
    public async Task There_is_no_public_report_or_photo_before_the_walk_is_over()
    {
        var id = await Een.Wandeling(App.Services).Over(TimeSpan.FromDays(2)).OpgeslagenAsync();
        var organisator = await WandelingBeheerTests.OrganisatorAsync(App);
        var pad = $"/beheer/wandelingen/{id}/verslag";
        var pagina = await organisator.OpenAsync(pad);
        Assert.Contains("zodra de gepubliceerde wandeling voorbij is", pagina.Html);
        var foto = await organisator.PostAsync(
            $"{pad}?handler=Foto",
            pagina.Token,
            [new("Beschrijving", "Voorbereiding")],
            [("Foto", "voor.jpg", TestFotos.Jpeg(), "image/jpeg")]
        );
        Assert.Equal(HttpStatusCode.Redirect, foto.StatusCode);
        await using var connection = await DataSource.OpenConnectionAsync();
        var fotoId = await connection.QuerySingleAsync<long>("SELECT id FROM wandeling_foto WHERE wandeling_id = @id", new { id });

        var client = App.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/wijkwandelingen/{id}/verslag")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/wijkwandelingen/{id}/fotos/{fotoId}.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await organisator.Http.GetAsync($"{pad}?handler=Foto&foto={fotoId}")).StatusCode);
    }
}
