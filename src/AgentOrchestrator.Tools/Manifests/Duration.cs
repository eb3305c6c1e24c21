using System.Globalization;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>Parses manifest durations such as <c>250ms</c>, <c>5s</c>, <c>2m</c> or <c>1h</c>.</summary>
internal static class Duration
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var unitStart = text.AsSpan().IndexOfAnyExcept("0123456789");
        if (unitStart <= 0 || !long.TryParse(text.AsSpan(0, unitStart), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        try
        {
            value = text[unitStart..] switch
            {
                "ms" => TimeSpan.FromMilliseconds(amount),
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.MinValue,
            };
        }
        catch (OverflowException)
        {
            return false;
        }

        return value != TimeSpan.MinValue;
    }
}
