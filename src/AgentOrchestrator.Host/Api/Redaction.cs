using System.Text.RegularExpressions;

namespace AgentOrchestrator.Host.Api;

/// <summary>
/// Masks secrets and personal data in what the API shows and logs. It works on JSON text, including JSON that is
/// nested as an escaped string inside other JSON (activity inputs in the raw history), so nothing slips through a
/// second level of quoting.
/// </summary>
public static partial class Redaction
{
    /// <summary>What a masked secret value is replaced with.</summary>
    public const string Mask = "[redacted]";

    /// <summary>
    /// For the session's own client: card numbers (12 to 19 digits, maybe grouped) keep their last four digits (<c>••••1234</c>) and the values of
    /// secret-looking fields (api keys, authorization, passwords, tokens, card security codes) are replaced by
    /// <see cref="Mask"/>. The client's own words otherwise stay as written.
    /// </summary>
    public static string ForClient(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = SecretField().Replace(text, m => m.Groups["head"].Value + Mask + m.Groups["tail"].Value);
        return CardNumber().Replace(masked, m => "••••" + new string([.. m.Value.Where(char.IsAsciiDigit)])[^4..]);
    }

    /// <summary>
    /// For support staff (timelines, raw history, logs): everything <see cref="ForClient"/> masks, plus e-mail
    /// addresses (first letter and domain kept: <c>a•••@example.com</c>) and phone numbers (last two digits kept).
    /// </summary>
    public static string ForStaff(string text)
    {
        var masked = Email().Replace(ForClient(text), m => m.Groups["first"].Success ? m.Groups["first"].Value + "•••@" + m.Groups["domain"].Value : m.Value);
        return Phone().Replace(masked, m => "•••" + m.Value[^2..]);
    }

    // 12 to 19 digits, optionally grouped by single spaces or dashes, standing alone (not inside an id like s-3f0c1234...).
    [GeneratedRegex(@"(?<![\w-])\d(?:[ -]?\d){11,18}(?![\w-])")]
    private static partial Regex CardNumber();

    // "apiKey": "v", \"password\":\"v\" (escaped inside a JSON string), "Authorization": "Bearer v".
    [GeneratedRegex(
        """(?<head>(?<q>\\?")(?:api[_-]?key|x-api-key|authorization|password|passwd|secret|client[_-]?secret|access[_-]?token|refresh[_-]?token|id[_-]?token|bearer|cvc|cvv|cvc2|security[_-]?code)\k<q>\s*:\s*\k<q>)(?:(?!\k<q>).)*(?<tail>\k<q>)""",
        RegexOptions.IgnoreCase)]
    private static partial Regex SecretField();

    // A JSON escape such as \u003C (how "<" is written before "<ada@example.com>") is matched first and kept, so the
    // address after it is masked and the escape is never cut in half.
    [GeneratedRegex(@"\\u[0-9A-Fa-f]{4}|(?<first>[A-Za-z0-9])[A-Za-z0-9._%+-]*@(?<domain>[A-Za-z0-9.-]+\.[A-Za-z]{2,})")]
    private static partial Regex Email();

    // International or grouped phone numbers such as +44 20 7946 0958 or 020-7946-0958; long bare digit runs are
    // card numbers (handled above) or ids, and are left alone.
    [GeneratedRegex(@"(?<![\w+])\+?\d{1,3}(?:[ .-]\d{2,4}){2,4}(?![\w])")]
    private static partial Regex Phone();
}
