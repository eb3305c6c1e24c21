namespace AgentOrchestrator.Functions;

/// <summary>
/// How the HTTP functions' routes relate to the API's. They are the same but for one prefix: the Functions host keeps
/// every route that starts with <c>admin</c> for its own admin API and refuses functions there, so the staff API that the
/// self-hosted service serves under <c>/admin</c> is served under <see cref="StaffPrefix"/>. The host's route prefix
/// (host.json <c>extensions:http:routePrefix</c>) is empty, so the other routes are exactly the API's.
/// </summary>
public static class FunctionRoutes
{
    /// <summary>Where the Functions app serves what the self-hosted service serves under <c>/admin</c>.</summary>
    public const string StaffPrefix = "v1/admin";

    /// <summary>The API's own prefix for the staff endpoints.</summary>
    public const string ApiStaffPrefix = "admin";

    /// <summary>
    /// The API path or route template for a function's path or route: <paramref name="route"/> without the host's
    /// <paramref name="routePrefix"/>, with <see cref="StaffPrefix"/> turned back into <see cref="ApiStaffPrefix"/>,
    /// always starting with <c>/</c>.
    /// </summary>
    public static string ToApiRoute(string route, string routePrefix)
    {
        ArgumentNullException.ThrowIfNull(route);
        var path = route.TrimStart('/');
        var prefix = (routePrefix ?? string.Empty).Trim('/');
        if (prefix.Length > 0 && (path == prefix || path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase)))
        {
            path = path[prefix.Length..].TrimStart('/');
        }

        if (path == StaffPrefix || path.StartsWith(StaffPrefix + "/", StringComparison.OrdinalIgnoreCase))
        {
            path = ApiStaffPrefix + path[StaffPrefix.Length..];
        }

        return "/" + path;
    }
}
