using System.Globalization;

namespace AgentOrchestrator.Durable.Storage;

/// <summary>The continuation token every store uses for instance queries: the last row's creation time and id.</summary>
public static class InstancePageToken
{
    /// <summary>Formats the token for the last row of a page.</summary>
    public static string Format(DateTimeOffset createdAt, string instanceId)
        => $"{createdAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{instanceId}";

    /// <summary>Parses a token; null for null.</summary>
    /// <exception cref="ArgumentException">The token was not made by <see cref="Format"/>.</exception>
    public static (DateTimeOffset CreatedAt, string InstanceId)? Parse(string? token)
    {
        if (token is null)
        {
            return null;
        }

        var bar = token.IndexOf('|', StringComparison.Ordinal);
        if (bar <= 0 || !long.TryParse(token.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            throw new ArgumentException($"Continuation token '{token}' is not one this store issued.", nameof(token));
        }

        return (new DateTimeOffset(ticks, TimeSpan.Zero), token[(bar + 1)..]);
    }

    /// <summary>True when a row sorts after the token's row (by creation time, then id).</summary>
    public static bool IsAfter(DateTimeOffset createdAt, string instanceId, (DateTimeOffset CreatedAt, string InstanceId) token)
        => createdAt > token.CreatedAt || (createdAt == token.CreatedAt && string.CompareOrdinal(instanceId, token.InstanceId) > 0);
}
