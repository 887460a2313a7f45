using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Wijkmeldingen.Web.Domein;

namespace Wijkmeldingen.Web.Features.Open311;

/// <summary>
/// One shape for every GeoReport v2 answer, written as XML (required by the spec) or JSON. An object
/// is an ordered list of fields; a list has a name and an item name (XML wraps items, JSON makes an
/// array). Null fields are left out in both formats.
/// </summary>
public static class Open311Antwoord
{
    public sealed record Obj(string XmlNaam, IReadOnlyList<(string Naam, object? Waarde)> Velden);

    public sealed record Lijst(string Naam, string ItemNaam, IReadOnlyList<object> Items);

    public const string Xml = "text/xml; charset=utf-8";
    public const string Json = "application/json; charset=utf-8";

    public static IResult Schrijf(string formaat, object inhoud, int status = StatusCodes.Status200OK) =>
        formaat == "xml"
            ? Results.Text(AlsXml(inhoud), Xml, Encoding.UTF8, status)
            : Results.Text(AlsJson(inhoud), Json, Encoding.UTF8, status);

    /// <summary>Errors exactly in the spec's form: a list of {code, description}.</summary>
    public static IResult Foutmelding(string formaat, int status, string beschrijving) =>
        Schrijf(
            formaat is "xml" ? "xml" : "json",
            new Lijst("errors", "error", [new Obj("error", [("code", status), ("description", beschrijving)])]),
            status
        );

    public static string AlsJson(object inhoud)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
        {
            SchrijfJson(json, inhoud);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void SchrijfJson(Utf8JsonWriter json, object? waarde)
    {
        switch (waarde)
        {
            case Obj obj:
                json.WriteStartObject();
                foreach (var (naam, veld) in obj.Velden.Where(v => v.Waarde is not null))
                {
                    json.WritePropertyName(naam);
                    SchrijfJson(json, veld);
                }
                json.WriteEndObject();
                break;
            case Lijst lijst:
                json.WriteStartArray();
                foreach (var item in lijst.Items)
                {
                    SchrijfJson(json, item);
                }
                json.WriteEndArray();
                break;
            case string tekst:
                json.WriteStringValue(tekst);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int i:
                json.WriteNumberValue(i);
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case double d:
                json.WriteNumberValue(d);
                break;
            case DateTimeOffset moment:
                json.WriteStringValue(Iso(moment));
                break;
            default:
                json.WriteNullValue();
                break;
        }
    }

    public static string AlsXml(object inhoud)
    {
        var instellingen = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, instellingen))
        {
            xml.WriteStartDocument();
            SchrijfXml(xml, null, inhoud);
            xml.WriteEndDocument();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void SchrijfXml(XmlWriter xml, string? naam, object? waarde)
    {
        switch (waarde)
        {
            case null:
                return;
            case Obj obj:
                xml.WriteStartElement(naam ?? obj.XmlNaam);
                foreach (var (veldNaam, veld) in obj.Velden)
                {
                    SchrijfXml(xml, veldNaam, veld);
                }
                xml.WriteEndElement();
                break;
            case Lijst lijst:
                xml.WriteStartElement(naam ?? lijst.Naam);
                foreach (var item in lijst.Items)
                {
                    SchrijfXml(xml, item is Obj ? null : lijst.ItemNaam, item);
                }
                xml.WriteEndElement();
                break;
            default:
                xml.WriteElementString(naam!, AlleenXmlTekens(Tekst(waarde)));
                break;
        }
    }

    /// <summary>Control characters (and lone surrogates) cannot appear in XML 1.0 at all, not even
    /// escaped; an echoed hostile value gets U+FFFD in their place instead of a broken response.</summary>
    private static string AlleenXmlTekens(string tekst)
    {
        if (tekst.All(XmlConvert.IsXmlChar))
        {
            return tekst;
        }
        var schoon = new StringBuilder(tekst.Length);
        for (var i = 0; i < tekst.Length; i++)
        {
            if (char.IsHighSurrogate(tekst[i]) && i + 1 < tekst.Length && char.IsLowSurrogate(tekst[i + 1]))
            {
                schoon.Append(tekst[i]).Append(tekst[++i]);
            }
            else
            {
                schoon.Append(XmlConvert.IsXmlChar(tekst[i]) ? tekst[i] : '\uFFFD');
            }
        }
        return schoon.ToString();
    }

    private static string Tekst(object waarde) =>
        waarde switch
        {
            bool b => b ? "true" : "false",
            DateTimeOffset moment => Iso(moment),
            IFormattable getal => getal.ToString(null, CultureInfo.InvariantCulture),
            _ => waarde.ToString() ?? "",
        };

    /// <summary>ISO 8601 with the Dutch offset, e.g. 2026-11-27T19:05:00+01:00.</summary>
    public static string Iso(DateTimeOffset moment) => Tijd.Lokaal(moment).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
}
