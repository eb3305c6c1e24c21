using System.Text;
using System.Text.Json;
using Json.Pointer;
using AgentOrchestrator.Tools.Schemas;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>
/// The line each value of a JSON text starts on, by JSON pointer, so an error found on the parsed document can
/// name the line a person finds it on. System.Text.Json keeps no positions in a parsed document, so the text is
/// read once more with a <see cref="Utf8JsonReader"/>, only when there is an error to place.
/// </summary>
internal sealed class JsonLineMap
{
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);

    public JsonLineMap(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes);
        var path = new List<string>();
        var indexes = new Stack<int>();
        var line = 1;
        var counted = 0L;
        string? property = null;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                property = reader.GetString();
                continue;
            }

            if (reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
            {
                indexes.Pop();
                if (path.Count > 0)
                {
                    path.RemoveAt(path.Count - 1);
                }

                continue;
            }

            // A value starts: place it in its parent, then note its line.
            if (indexes.Count > 0)
            {
                var index = indexes.Pop();
                path.Add(index < 0 ? property! : index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                indexes.Push(index < 0 ? -1 : index + 1);
            }

            line += bytes.AsSpan((int)counted, (int)(reader.TokenStartIndex - counted)).Count((byte)'\n');
            counted = reader.TokenStartIndex;
            _lines.TryAdd(Key(path), line);

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                indexes.Push(reader.TokenType == JsonTokenType.StartObject ? -1 : 0);
            }
            else if (path.Count > 0)
            {
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    /// <summary>The 1-based line the value at <paramref name="pointer"/> starts on, if the text has that value.</summary>
    public int? LineOf(JsonPointer pointer) => _lines.TryGetValue(pointer.ToString(), out var line) ? line : null;

    private static string Key(List<string> path) => JsonPointers.Format(path);
}
