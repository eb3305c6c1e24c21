using System.Text.Json;
using System.Text.RegularExpressions;
using AgentOrchestrator.Agents.Sessions;
using Microsoft.AspNetCore.Diagnostics;

namespace AgentOrchestrator.Api;

/// <summary>
/// Turns the exceptions that mean "bad request" into problem details that say what is wrong and where: the JSON field
/// and the type it needs, the query parameter and the value it got, the content type expected, the size allowed.
/// Request binding throws these (<c>RouteHandlerOptions.ThrowOnBadRequest</c> is on) so that this one place words them.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail, name) = exception switch
        {
            BadHttpRequestException bad => Describe(bad),
            SessionNotFoundException => (StatusCodes.Status404NotFound, "Session not found", exception.Message, null),
            SessionClosedException => (StatusCodes.Status409Conflict, "Session closed", exception.Message, null),
            MessageIdReusedException => (StatusCodes.Status409Conflict, "Message id reused", exception.Message, "messageId"),
            IdempotencyKeyReusedException => (StatusCodes.Status422UnprocessableEntity, "Idempotency key reused", exception.Message, SessionApi.IdempotencyKeyHeader),
            ArgumentException argument => (StatusCodes.Status400BadRequest, "Invalid request", WithoutParameterName(argument), null),
            _ => (0, string.Empty, string.Empty, null),
        };
        if (status == 0 || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
            Exception = exception,
        };
        if (name is not null)
        {
            context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [name] = [detail] };
        }

        return await problems.TryWriteAsync(context);
    }

    private static (int Status, string Title, string Detail, string? Name) Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            var got = MediaType().Match(bad.Message) is { Success: true } m ? m.Groups["type"].Value : "another content type";
            return (bad.StatusCode, "Unsupported content type", $"This endpoint takes a JSON body: send Content-Type: application/json (the request said \"{got}\").", "Content-Type");
        }

        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (bad.StatusCode, "Body too large", bad.Message + " (RateLimit:MaxRequestBodyBytes)", null);
        }

        if (bad.InnerException is JsonException json)
        {
            return DescribeJson(bad.StatusCode, json);
        }

        if (BindFailure().Match(bad.Message) is { Success: true } bind)
        {
            var parameter = bind.Groups["name"].Value;
            return (bad.StatusCode, "Invalid request", $"Query parameter '{parameter}' must be {TypeWord(bind.Groups["type"].Value)}; got \"{bind.Groups["value"].Value}\".", parameter);
        }

        return (bad.StatusCode, "Bad request", bad.Message, null);
    }

    private static (int Status, string Title, string Detail, string? Name) DescribeJson(int status, JsonException json)
    {
        var path = json.Path ?? "$";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        if (Conversion().Match(json.Message) is { Success: true } conversion)
        {
            return field is null
                ? (status, "Invalid JSON", "The body must be a JSON object with this request's fields.", null)
                : (status, "Invalid JSON", $"Field \"{field}\" must be {TypeWord(FieldType(conversion.Groups["type"].Value, field))}.", field);
        }

        // A syntax error: the reader's own words, where it stopped.
        var reason = json.Message.Split(" Path: ", 2)[0].Split(" LineNumber: ", 2)[0].TrimEnd(' ', '|');
        var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : string.Empty;
        return (status, "Invalid JSON", $"The body is not valid JSON{where}: {reason}", null);
    }

    // System.Text.Json names the record that failed to bind, not the field's type, when the record binds through its
    // constructor ("could not be converted to ...StartSessionRequest. Path: $.message"): the field's type is looked up.
    private static string FieldType(string reported, string field)
    {
        var owner = typeof(ApiExceptionHandler).Assembly.GetType(reported);
        var property = owner?.GetProperties().FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
        return property is null ? reported : (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType).Name;
    }

    // A .NET type as the reader of an error knows it: "Int64", "Nullable<long>", "bool?", "System.String".
    private static string TypeWord(string type) => type.ToLowerInvariant() switch
    {
        var t when t.Contains("bool", StringComparison.Ordinal) => "true or false",
        var t when t.Contains("string", StringComparison.Ordinal) => "a string",
        var t when t.Contains("int", StringComparison.Ordinal) || t.Contains("long", StringComparison.Ordinal) => "a whole number",
        var t when t.Contains("decimal", StringComparison.Ordinal) || t.Contains("double", StringComparison.Ordinal) => "a number",
        _ => "a value of another kind",
    };

    private static string WithoutParameterName(ArgumentException argument)
        => argument.ParamName is { } name ? argument.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : argument.Message;

    // 'Failed to bind parameter "long? after" from "abc".'
    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+?) (?<name>\w+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex BindFailure();

    // 'Expected a supported JSON media type but got "text/plain".'
    [GeneratedRegex("""got "(?<type>[^"]*)""")]
    private static partial Regex MediaType();

    // 'The JSON value could not be converted to System.String.'
    [GeneratedRegex("""could not be converted to (?<type>\S+?)\.?(?:\s|$)""")]
    private static partial Regex Conversion();
}
