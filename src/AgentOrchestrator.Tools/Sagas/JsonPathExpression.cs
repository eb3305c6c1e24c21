using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentOrchestrator.Tools.Sagas;

/// <summary>
/// A small JSONPath subset that names one value: <c>$</c> followed by <c>.name</c>, <c>['name']</c> or
/// <c>[index]</c> steps, e.g. <c>$.result.id</c>, <c>$.args.lines[0].sku</c>. No wildcards, filters or
/// recursive descent: a compensation must be built from values it can name exactly.
/// </summary>
public sealed class JsonPathExpression
{
    private readonly JsonPathSegment[] _segments;

    private JsonPathExpression(string text, JsonPathSegment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    /// <summary>The expression as written.</summary>
    public string Text { get; }

    /// <summary>The steps after <c>$</c>.</summary>
    public IReadOnlyList<JsonPathSegment> Segments => _segments;

    /// <summary>Parses <paramref name="text"/>, or throws <see cref="FormatException"/> saying what is wrong.</summary>
    /// <param name="text">The expression.</param>
    public static JsonPathExpression Parse(string text) =>
        TryParse(text, out var path, out var error) ? path : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    /// <param name="text">The expression.</param>
    /// <param name="path">The parsed expression.</param>
    /// <param name="error">Why the text is not a valid expression.</param>
    public static bool TryParse(string text, [NotNullWhen(true)] out JsonPathExpression? path, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        path = null;
        if (text.Length == 0 || text[0] != '$')
        {
            error = $"'{text}' is not a path: it must start with $";
            return false;
        }

        var segments = new List<JsonPathSegment>();
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == '.')
            {
                var start = ++i;
                while (i < text.Length && IsNameChar(text[i]))
                {
                    i++;
                }

                if (i == start)
                {
                    error = $"'{text}': expected a property name at position {start}";
                    return false;
                }

                segments.Add(JsonPathSegment.ForProperty(text[start..i]));
            }
            else if (text[i] == '[' && i + 1 < text.Length && (text[i + 1] == '\'' || text[i + 1] == '"'))
            {
                var quote = text[i + 1];
                var end = text.IndexOf(quote, i + 2);
                if (end < 0 || end + 1 >= text.Length || text[end + 1] != ']')
                {
                    error = $"'{text}': unterminated ['name'] step at position {i}";
                    return false;
                }

                segments.Add(JsonPathSegment.ForProperty(text[(i + 2)..end]));
                i = end + 2;
            }
            else if (text[i] == '[')
            {
                var end = text.IndexOf(']', i);
                if (end < 0 || !int.TryParse(text.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    error = $"'{text}': expected [index] or ['name'] at position {i}; wildcards and filters are not supported";
                    return false;
                }

                segments.Add(JsonPathSegment.ForIndex(index));
                i = end + 1;
            }
            else
            {
                error = $"'{text}': unexpected '{text[i]}' at position {i}";
                return false;
            }
        }

        path = new JsonPathExpression(text, [.. segments]);
        error = null;
        return true;
    }

    /// <summary>Finds the value the path names inside <paramref name="root"/>; false when any step is missing.</summary>
    /// <param name="root">The document <c>$</c> stands for.</param>
    /// <param name="value">The value found.</param>
    public bool TryEvaluate(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var segment in _segments)
        {
            if (segment.IsIndex)
            {
                if (value.ValueKind != JsonValueKind.Array || segment.Index >= value.GetArrayLength())
                {
                    return false;
                }

                value = value[segment.Index];
            }
            else if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment.Name!, out value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the path written in the canonical form, e.g. <c>$.args['odd key'][0]</c>.</summary>
    /// <param name="segments">The steps after <c>$</c>.</param>
    public static string Format(IEnumerable<JsonPathSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var text = new StringBuilder("$");
        foreach (var segment in segments)
        {
            if (segment.IsIndex)
            {
                text.Append(CultureInfo.InvariantCulture, $"[{segment.Index}]");
            }
            else if (segment.Name!.Length > 0 && segment.Name.All(IsNameChar))
            {
                text.Append('.').Append(segment.Name);
            }
            else
            {
                text.Append("['").Append(segment.Name).Append("']");
            }
        }

        return text.ToString();
    }

    /// <summary>Returns <see cref="Text"/>.</summary>
    public override string ToString() => Text;

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
}
