using System.Globalization;
using AgentOrchestrator.Tools.Sagas;
using Newtonsoft.Json.Linq;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>JSON Pointer (RFC 6901) helpers.</summary>
internal static class JsonPointer
{
    /// <summary>Escapes one reference token: <c>~</c> becomes <c>~0</c>, <c>/</c> becomes <c>~1</c>.</summary>
    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>Joins path segments into a pointer.</summary>
    public static string Combine(IEnumerable<JsonPathSegment> segments) => string.Concat(segments.Select(s =>
        "/" + (s.IsIndex ? s.Index.ToString(CultureInfo.InvariantCulture) : Escape(s.Name!))));

    /// <summary>Returns the steps that lead from the document root to <paramref name="token"/>.</summary>
    public static List<JsonPathSegment> SegmentsOf(JToken? token)
    {
        var tokens = new List<JsonPathSegment>();
        var current = token;
        while (current is not null)
        {
            if (current is JProperty property)
            {
                tokens.Add(JsonPathSegment.ForProperty(property.Name));
                current = property.Parent;
                continue;
            }

            if (current.Parent is JArray array)
            {
                tokens.Add(JsonPathSegment.ForIndex(array.IndexOf(current)));
            }

            current = current.Parent;
        }

        tokens.Reverse();
        return tokens;
    }
}
