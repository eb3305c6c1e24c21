using System.Globalization;
using System.Text;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// A query's continuation token: the sort key (created time, instance id) of the last row returned, so the next page
/// starts after it (keyset paging: stable while instances are added, and as fast for page 1,000 as for page 1).
/// </summary>
internal static class PageToken
{
    /// <summary>The token for a page that ended with this row.</summary>
    public static string Format(long createdAt, string instanceId)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"1:{createdAt}:{instanceId}")));

    /// <summary>The sort key a token names; null for no token.</summary>
    /// <exception cref="ArgumentException">The token was not made by <see cref="Format"/>.</exception>
    public static (long CreatedAt, string InstanceId)? Parse(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split(':', 3);
            if (parts is ["1", var ticks, var id] && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var createdAt))
            {
                return (createdAt, id);
            }
        }
        catch (FormatException)
        {
        }

        throw new ArgumentException($"The continuation token '{token}' was not returned by this service.", nameof(token));
    }
}
