using System.Net.Mail;

namespace Wijkmeldingen.Web.Domein;

/// <summary>The one rule for an e-mail address a person types (melders, subscribers, walk
/// participants, staff accounts): one plain address, at most 254 characters, a dotted domain.</summary>
public static class EmailAdres
{
    public static bool IsGeldig(string value) =>
        value.Length <= 254
        && MailAddress.TryCreate(value, out var address)
        && address.Address == value
        && address.Host.Contains('.', StringComparison.Ordinal);
}
