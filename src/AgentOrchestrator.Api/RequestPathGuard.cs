using System.Globalization;

namespace AgentOrchestrator.Api;

/// <summary>Refuses request paths that hold control characters before any endpoint reads them as ids or names.</summary>
public static class RequestPathGuard
{
    /// <summary>
    /// Answers 400 (problem details naming the segment and the character) for a path with a control character, such as
    /// <c>/v1/sessions/s-%01</c>: no session id, call id, chain id or manifest name holds one. Kestrel refuses <c>%00</c>
    /// itself, with a bare 400, before the application sees the request.
    /// </summary>
    public static WebApplication UseRequestPathGuard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (http, next) =>
        {
            if (Check(http.Request.Path) is { } refusal)
            {
                await refusal.ExecuteAsync(http);
                return;
            }

            await next(http);
        });
        return app;
    }

    /// <summary>The refusal of a path with a control character, or null when the path holds none.</summary>
    public static IResult? Check(PathString requestPath)
    {
        var path = requestPath.Value ?? string.Empty;
        var at = path.AsSpan().IndexOfAnyInRange('\u0000', '\u001F');
        at = at >= 0 ? at : path.IndexOf('\u007F', StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var start = path.LastIndexOf('/', at) + 1;
        var end = path.IndexOf('/', at) is var slash and >= 0 ? slash : path.Length;
        var segment = Uri.EscapeDataString(path[start..end]);
        var code = ((int)path[at]).ToString("X4", CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid path",
            detail: $"The path segment '{segment}' holds the control character U+{code}; ids and names in paths never do.");
    }
}
