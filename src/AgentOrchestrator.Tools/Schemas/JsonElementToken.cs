using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Newtonsoft.Json.Linq;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>
/// Builds the Newtonsoft token NJsonSchema validates straight from a <see cref="JsonElement"/>, without
/// writing the element out as text and reading it back. The token is the one
/// <c>JToken.ReadFrom(new JsonTextReader(...) { DateParseHandling = None })</c> would read: strings stay
/// strings, integers that fit are <see cref="long"/>, other numbers <see cref="double"/>, a repeated
/// property keeps its first position and its last value.
/// </summary>
internal static class JsonElementToken
{
    /// <summary>
    /// Builds the token for <paramref name="element"/>, or returns <see langword="false"/> for the rare values
    /// whose reading this does not reproduce (integers beyond <see cref="long"/>, strings that are not valid
    /// UTF-16): read those from text instead, so they validate, or fail, exactly as before.
    /// </summary>
    /// <param name="element">The value to convert.</param>
    /// <param name="token">The token, without line information.</param>
    public static bool TryCreate(JsonElement element, [NotNullWhen(true)] out JToken? token)
    {
        try
        {
            token = Create(element);
        }
        catch (InvalidOperationException)
        {
            // A string or property name that does not decode, such as a lone surrogate escape.
            token = null;
        }

        return token is not null;
    }

    private static JToken? Create(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (Create(property.Value) is not { } value)
                    {
                        return null;
                    }

                    // The indexer, like the reader, lets a repeated name replace the value in place.
                    obj[property.Name] = value;
                }

                return obj;
            case JsonValueKind.Array:
                var array = new JArray();
                foreach (var item in element.EnumerateArray())
                {
                    if (Create(item) is not { } value)
                    {
                        return null;
                    }

                    array.Add(value);
                }

                return array;
            case JsonValueKind.String:
                return new JValue(element.GetString());
            case JsonValueKind.Number:
                return Number(element);
            case JsonValueKind.True:
                return new JValue(true);
            case JsonValueKind.False:
                return new JValue(false);
            case JsonValueKind.Null:
                return JValue.CreateNull();
            default:
                return null;
        }
    }

    private static JValue? Number(JsonElement element)
    {
        if (element.TryGetInt64(out var integer))
        {
            return new JValue(integer);
        }

        // Like JsonTextReader: digits only means an integer (too big for long here: a BigInteger there,
        // left to the reader); anything with a fraction or an exponent is parsed as a double.
        var text = JsonMarshal.GetRawUtf8Value(element);
        if (text.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0
            || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return null;
        }

        return new JValue(real);
    }
}
