using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentOrchestrator.Api;

/// <summary>
/// The one place secrets and personal data are masked, for everything the API shows and everything the host logs
/// (<see cref="Logging.RedactingLoggerFactory"/>). It works on plain text and on JSON text, including JSON nested as an
/// escaped string inside other JSON, however deep (activity inputs in the raw history are JSON strings holding JSON):
/// a value right after an escape such as <c>\n</c>, <c>\"</c> or <c>\u0022</c> is found like any other.
/// </summary>
public static partial class Redaction
{
    /// <summary>What a masked secret value is replaced with.</summary>
    public const string Mask = "[redacted]";

    // Field names whose values are secrets. One list for JSON properties, quoted fields inside text, and key=value pairs.
    private const string SecretNames =
        "api[_-]?key|x-api-key|authorization|password|passwd|secret|client[_-]?secret|access[_-]?token|refresh[_-]?token|id[_-]?token|bearer|cvc|cvv|cvc2|security[_-]?code";

    // Before a token: not a word character or dash (so digits inside an id such as s-3f0c1234... stay), or right after a
    // JSON escape (\n, \t, \u0022 ...), whose last character is a letter or digit but is not part of the text's words.
    private const string TokenStart = @"(?:(?<![\w-])|(?<=\\[nrtbf]|\\u[0-9A-Fa-f]{4}))";

    /// <summary>
    /// For the session's own client: card numbers (12 to 19 digits, maybe grouped) keep their last four digits (<c>••••1234</c>) and the values of
    /// secret-looking fields (api keys, authorization, passwords, tokens, card security codes) are replaced by
    /// <see cref="Mask"/>. The client's own words otherwise stay as written.
    /// </summary>
    public static string ForClient(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = SecretField().Replace(text, m => m.Groups["head"].Value + Mask + m.Groups["tail"].Value);
        masked = SecretPair().Replace(masked, m => m.Groups["head"].Value + Mask);
        return CardNumber().Replace(masked, m => "••••" + new string([.. m.Value.Where(char.IsAsciiDigit)])[^4..]);
    }

    /// <summary>
    /// For support staff (timelines, raw history, logs): everything <see cref="ForClient(string)"/> masks, plus e-mail
    /// addresses (first letter and domain kept: <c>a•••@example.com</c>) and phone numbers (last two digits kept).
    /// </summary>
    public static string ForStaff(string text)
    {
        var masked = Email().Replace(ForClient(text), m => m.Groups["first"].Success ? m.Groups["first"].Value + "•••@" + m.Groups["domain"].Value : m.Value);
        return Phone().Replace(masked, m => "•••" + m.Value[^2..]);
    }

    /// <summary>
    /// <see cref="ForClient(string)"/> over a JSON value: every string is masked as text, a number that looks like a
    /// card number becomes a masked string, and a property named like a secret has its value replaced by <see cref="Mask"/>.
    /// The result is always valid JSON.
    /// </summary>
    public static JsonNode? ForClient(JsonElement json) => Walk(json, ForClient);

    /// <summary><see cref="ForStaff(string)"/> over a JSON value, as <see cref="ForClient(JsonElement)"/> does for clients.</summary>
    public static JsonNode? ForStaff(JsonElement json) => Walk(json, ForStaff);

    private static JsonNode? Walk(JsonElement json, Func<string, string> mask)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in json.EnumerateObject())
                {
                    obj[property.Name] = SecretName().IsMatch(property.Name) && property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number
                        ? JsonValue.Create(Mask)
                        : Walk(property.Value, mask);
                }

                return obj;
            case JsonValueKind.Array:
                return new JsonArray([.. json.EnumerateArray().Select(item => Walk(item, mask))]);
            case JsonValueKind.String:
                return JsonValue.Create(mask(json.GetString()!));
            case JsonValueKind.Number:
                var raw = json.GetRawText();
                var shown = mask(raw);
                return shown == raw ? JsonNode.Parse(raw) : JsonValue.Create(shown);
            case JsonValueKind.True or JsonValueKind.False:
                return JsonValue.Create(json.GetBoolean());
            default:
                return null;
        }
    }

    // 12 to 19 digits, optionally grouped by single spaces or dashes, standing alone (not inside an id like s-3f0c1234...).
    [GeneratedRegex(TokenStart + @"\d(?:[ -]?\d){11,18}(?![\w-])")]
    private static partial Regex CardNumber();

    // "apiKey": "v", \"password\":\"v\" and \u0022token\u0022:\u0022v\u0022 (JSON nested in JSON strings), "Authorization": "Bearer v".
    [GeneratedRegex(
        """(?<head>(?<q>\\*"|\\+u0022)(?:""" + SecretNames + """)\k<q>\s*:\s*\k<q>)(?:(?!\k<q>).)*(?<tail>\k<q>)""",
        RegexOptions.IgnoreCase)]
    private static partial Regex SecretField();

    // api_key=v in query strings and key=value text, "Authorization: Bearer v" header lines, and a bare "Bearer v" whose
    // v looks like a token (16 or more token characters, so "the bearer of this card" stays).
    [GeneratedRegex(
        @"(?<head>" + TokenStart + @"(?:(?:" + SecretNames + @")\s*[=:]\s*(?:(?:bearer|basic)\s+)?|bearer\s+(?=[A-Za-z0-9._~+/-]{16,})))(?!\[redacted\])[^\s&""'\\,;]+",
        RegexOptions.IgnoreCase)]
    private static partial Regex SecretPair();

    [GeneratedRegex("^(?:" + SecretNames + ")$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    // A JSON escape at any depth (\n, \u003C: how "<" is written before "<ada@example.com>", \\u0022) is matched
    // first and kept, so the address after it is masked and the escape is never cut in half.
    [GeneratedRegex(@"\\+(?:u[0-9A-Fa-f]{4}|[^\\])|(?<first>[A-Za-z0-9])[A-Za-z0-9._%+-]*@(?<domain>[A-Za-z0-9.-]+\.[A-Za-z]{2,})")]
    private static partial Regex Email();

    // International or grouped phone numbers such as +44 20 7946 0958 or 020-7946-0958; long bare digit runs are
    // card numbers (handled above) or ids, and are left alone, as are IPv4 addresses (10.20.30.40), which staff need.
    [GeneratedRegex(@"(?:(?<![\w+.])|(?<=\\[nrtbf]|\\u[0-9A-Fa-f]{4}))(?!(?:\d{1,3}\.){3}\d{1,3}(?![\d.]))\+?\d{1,3}(?:[ .-]\d{2,4}){2,4}(?![\w]|\.\d)")]
    private static partial Regex Phone();
}
