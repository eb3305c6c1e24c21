using Json.Pointer;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>Builds RFC 6901 pointers from unescaped segments (JsonPointer.Net builds them from its own segment type only).</summary>
internal static class JsonPointers
{
    /// <summary>The pointer text, e.g. <c>/tools/0/na~1me</c> for the segments <c>tools</c>, <c>0</c>, <c>na/me</c>.</summary>
    public static string Format(IEnumerable<string> segments) =>
        string.Concat(segments.Select(s => "/" + s.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));

    /// <summary>The pointer for <paramref name="segments"/>.</summary>
    public static JsonPointer Create(IEnumerable<string> segments) => JsonPointer.Parse(Format(segments));
}
