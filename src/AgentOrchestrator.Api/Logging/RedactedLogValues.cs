using System.Collections;
using System.Globalization;
using System.Text;
using AgentOrchestrator.Api;

namespace AgentOrchestrator.Api.Logging;

/// <summary>
/// A log call's structured values with every value masked, and its message formatted again from the template with the
/// masked values. Providers read both: the console prints the message, OpenTelemetry and JSON formatters the values.
/// </summary>
internal sealed class RedactedLogValues : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string OriginalFormat = "{OriginalFormat}";
    private readonly KeyValuePair<string, object?>[] _values;
    private readonly string _message;

    private RedactedLogValues(KeyValuePair<string, object?>[] values, string message)
    {
        _values = values;
        _message = message;
    }

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    /// <summary>Masks <paramref name="values"/>; the message comes from their template, else from <paramref name="format"/>, masked whole.</summary>
    public static RedactedLogValues From(IReadOnlyList<KeyValuePair<string, object?>> values, Func<string> format)
    {
        var masked = new KeyValuePair<string, object?>[values.Count];
        string? template = null;
        for (var i = 0; i < values.Count; i++)
        {
            var (key, value) = values[i];
            if (key == OriginalFormat)
            {
                template = value as string;
                masked[i] = values[i];
            }
            else
            {
                masked[i] = new(key, Mask(value));
            }
        }

        var message = template is not null && TryFormat(template, masked, out var formatted) ? formatted : Redaction.ForStaff(format());
        return new RedactedLogValues(masked, message);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => _message;

    // A value keeps its type (numbers stay numbers for metrics-minded providers) unless its text holds something to mask.
    private static object? Mask(object? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = Text(value);
        var masked = Redaction.ForStaff(text);
        return value is string || masked != text ? masked : value;
    }

    // As the framework's formatter writes a value: invariant culture, a sequence as "a, b", null as "(null)".
    private static string Text(object? value) => value switch
    {
        null => "(null)",
        string s => s,
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Text)),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>
    /// Formats a message template (<c>{Name}</c>, <c>{Name,align}</c>, <c>{Name:format}</c>, <c>{{</c> and <c>}}</c> for
    /// braces) with the masked values. Values fill the holes in order when the state holds one per hole under the holes'
    /// names (<c>LogInformation</c>'s state), else by name (<c>[LoggerMessage]</c>, where one parameter may fill two holes).
    /// </summary>
    private static bool TryFormat(string template, KeyValuePair<string, object?>[] values, out string message)
    {
        message = string.Empty;
        var names = new List<string>();
        var composite = new StringBuilder(template.Length + 8);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                composite.Append("{{");
                i++;
            }
            else if (c == '{')
            {
                var end = template.IndexOf('}', i);
                if (end < 0)
                {
                    return false;
                }

                var hole = template[(i + 1)..end];
                var nameLength = hole.IndexOfAny([',', ':']) is var at and >= 0 ? at : hole.Length;
                composite.Append('{').Append(names.Count.ToString(CultureInfo.InvariantCulture)).Append(hole, nameLength, hole.Length - nameLength).Append('}');
                names.Add(hole[..nameLength]);
                i = end;
            }
            else if (c == '}')
            {
                composite.Append("}}");
                i += i + 1 < template.Length && template[i + 1] == '}' ? 1 : 0;
            }
            else
            {
                composite.Append(c);
            }
        }

        var data = values.Where(v => v.Key != OriginalFormat).ToList();
        var positional = data.Count == names.Count && names.Select((name, k) => string.Equals(name, data[k].Key, StringComparison.OrdinalIgnoreCase)).All(same => same);
        var args = new object?[names.Count];
        for (var k = 0; k < names.Count; k++)
        {
            var index = positional ? k : data.FindIndex(v => string.Equals(v.Key, names[k], StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return false;
            }

            var value = data[index].Value;
            args[k] = value is null or string || value is not IEnumerable ? value ?? "(null)" : Text(value);
        }

        try
        {
            message = string.Format(CultureInfo.InvariantCulture, composite.ToString(), args);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
