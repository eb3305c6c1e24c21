using System.Collections.Frozen;
using System.Text.Json;
using AgentOrchestrator.Tools.Sagas;
using AgentOrchestrator.Tools.Schemas;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>Reads and checks an <c>http</c> binding: the path cannot leave the service, placeholders name
/// real parameters, credentials only come by secret reference.</summary>
internal static class HttpBindingReader
{
    private static readonly HashSet<string> ForbiddenHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Content-Type", "Transfer-Encoding", "Connection", "Cookie", "Authorization", "Proxy-Authorization",
    };

    private static readonly string[] CredentialWords = ["key", "token", "secret", "password", "auth", "session", "signature"];

    public static HttpToolBinding? Read(ManifestReadContext ctx, JsonElement http, string pointer, ParameterInfo parameters, string? idempotencyHeader)
    {
        var before = ctx.Errors.Count;
        var method = http.GetProperty("method").GetString()!;
        if (ctx.BaseUri is null && !ctx.BaseUriRejected)
        {
            ctx.Error(pointer, "needs the manifest's \"http\": { \"baseUrl\": ... } to say where the service is");
        }

        var path = http.GetProperty("path").GetString()!;
        CheckPath(ctx, path, pointer + "/path", parameters);

        var query = ReadTemplates(ctx, http, "query", pointer, parameters, header: false, idempotencyHeader);
        var headers = ReadTemplates(ctx, http, "headers", pointer, parameters, header: true, idempotencyHeader);

        JsonElement? body = null;
        var hasBodyMethod = method is "POST" or "PUT" or "PATCH";
        if (http.TryGetProperty("body", out var bodyElement))
        {
            if (!hasBodyMethod)
            {
                ctx.Error(pointer + "/body", $"a {method} request has no body; pass values in the path or query");
            }

            CheckBodyPaths(ctx, bodyElement, pointer + "/body", parameters);
            body = bodyElement.Clone();
        }
        else if (hasBodyMethod)
        {
            using var document = JsonDocument.Parse("\"$.args\"");
            body = document.RootElement.Clone();
        }

        var auth = ctx.ServiceAuth;
        if (http.TryGetProperty("auth", out var authElement))
        {
            auth = ctx.ReadAuth(authElement, pointer + "/auth");
        }

        if (ctx.Errors.Count != before || ctx.BaseUri is null)
        {
            return null;
        }

        return new HttpToolBinding(method, ctx.BaseUri, path, query, headers, body, auth);
    }

    private static void CheckPath(ManifestReadContext ctx, string path, string pointer, ParameterInfo parameters)
    {
        if (path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal))
        {
            ctx.Error(pointer, "must not contain '?' or '#'; declare query parameters under query");
            return;
        }

        if (path.Contains("//", StringComparison.Ordinal) || path.Split('/').Any(s => s is "." or "..") || path.Contains('\\', StringComparison.Ordinal))
        {
            ctx.Error(pointer, "must be a plain path: no '//', '\\', '.' or '..' segments");
            return;
        }

        if (!TextTemplate.TryParse(path, out var template, out var error))
        {
            ctx.Error(pointer, error);
            return;
        }

        foreach (var name in template.Placeholders)
        {
            if (!parameters.Has(name))
            {
                ctx.Error(pointer, $"placeholder {{{name}}} names no parameter (parameters: {parameters.Describe()})");
            }
            else if (!parameters.IsRequired(name))
            {
                ctx.Error(pointer, $"placeholder {{{name}}} must name a required parameter: a path cannot leave a segment out");
            }
            else if (!parameters.IsScalar(name))
            {
                ctx.Error(pointer, $"placeholder {{{name}}} must name a string, number, integer or boolean parameter");
            }
        }
    }

    private static FrozenDictionary<string, string> ReadTemplates(
        ManifestReadContext ctx, JsonElement http, string section, string pointer, ParameterInfo parameters, bool header, string? idempotencyHeader)
    {
        var result = new Dictionary<string, string>(header ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        if (!http.TryGetProperty(section, out var element))
        {
            return result.ToFrozenDictionary(result.Comparer);
        }

        foreach (var property in element.EnumerateObject())
        {
            var itemPointer = $"{pointer}/{section}{JsonPointers.Format([property.Name])}";
            var value = property.Value.GetString()!;
            if (header && !CheckHeader(ctx, property.Name, value, itemPointer, idempotencyHeader))
            {
                continue;
            }

            if (!TextTemplate.TryParse(value, out var template, out var error))
            {
                ctx.Error(itemPointer, error);
                continue;
            }

            foreach (var name in template.Placeholders.Where(n => !parameters.Has(n)))
            {
                ctx.Error(itemPointer, $"placeholder {{{name}}} names no parameter (parameters: {parameters.Describe()})");
            }

            foreach (var name in template.Placeholders.Where(n => parameters.Has(n) && !parameters.IsScalar(n)))
            {
                ctx.Error(itemPointer, $"placeholder {{{name}}} must name a string, number, integer or boolean parameter");
            }

            result[property.Name] = value;
        }

        return result.ToFrozenDictionary(result.Comparer);
    }

    private static bool CheckHeader(ManifestReadContext ctx, string name, string value, string pointer, string? idempotencyHeader)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            ctx.Error(pointer, $"'{name}' is not a valid header name");
            return false;
        }

        if (string.Equals(name, idempotencyHeader, StringComparison.OrdinalIgnoreCase) || string.Equals(name, ToolIdempotency.DefaultHeaderName, StringComparison.OrdinalIgnoreCase))
        {
            ctx.Error(pointer, "the idempotency key header is set from idempotency, not headers");
            return false;
        }

        if (ForbiddenHeaders.Contains(name) || CredentialWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)))
        {
            ctx.Error(pointer, $"'{name}' cannot be set here: credentials go in auth as a secret reference, and transport headers are set by the invoker");
            return false;
        }

        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            ctx.Error(pointer, "must not contain line breaks");
            return false;
        }

        return true;
    }

    private static void CheckBodyPaths(ManifestReadContext ctx, JsonElement body, string pointer, ParameterInfo parameters)
    {
        foreach (var (suffix, text) in ArgumentMapping.EnumeratePaths(body))
        {
            if (!JsonPathExpression.TryParse(text, out var path, out var error))
            {
                ctx.Error(pointer + suffix, error);
                continue;
            }

            if (path.Segments.Count == 0 || path.Segments[0].Name != "args")
            {
                ctx.Error(pointer + suffix, $"'{text}' must start with $.args: a request body is built from the arguments");
            }
            else if (path.Segments.Count > 1 && path.Segments[1].Name is { } name && !parameters.Has(name))
            {
                ctx.Error(pointer + suffix, $"'{text}' names no parameter (parameters: {parameters.Describe()})");
            }
        }
    }
}
