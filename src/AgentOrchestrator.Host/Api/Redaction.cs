using System.Text.RegularExpressions;

namespace AgentOrchestrator.Host.Api;

/// <summary>Masks card numbers in what the API shows (events, timelines): only the last four digits remain.</summary>
public static partial class Redaction
{
    /// <summary>Returns <paramref name="text"/> with every 12-19 digit run masked as <c>••••1234</c>.</summary>
    public static string Redact(string text) => CardNumber().Replace(text, m => "••••" + m.Value[^4..]);

    [GeneratedRegex(@"(?<!\d)\d{12,19}(?!\d)")]
    private static partial Regex CardNumber();
}
