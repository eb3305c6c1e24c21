using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentOrchestrator.Tools.Manifests;
using AgentOrchestrator.Tools.Sagas;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>Builds the HTTP request of a call. The host, port and scheme come from the binding's base URL
/// only; argument values are escaped, so <c>../</c>, <c>@</c> or <c>//</c> in an argument stay inside one path
/// segment or query value.</summary>
internal static class HttpRequestFactory
{
    /// <summary>Builds the request, or returns a failure explaining why it cannot be built.</summary>
    public static (HttpRequestMessage? Request, ToolInvocationResult? Failure) Create(
        ToolDefinition tool, HttpToolBinding binding, JsonElement arguments, string orchestratorKey, IToolSecretProvider secrets, OriginAllowList allowList)
    {
        Uri uri;
        try
        {
            uri = BuildUri(binding, arguments);
        }
        catch (ArgumentException ex)
        {
            return (null, ToolInvocationResult.Failure(ToolErrorCodes.InvalidArguments, ex.Message, isRetryable: false));
        }

        var basePath = binding.BaseUri.AbsolutePath.TrimEnd('/');
        if (uri.Scheme != binding.BaseUri.Scheme || uri.IdnHost != binding.BaseUri.IdnHost || uri.Port != binding.BaseUri.Port
            || !uri.AbsolutePath.StartsWith(basePath, StringComparison.Ordinal) || allowList.Check(uri) is not null)
        {
            return (null, ToolInvocationResult.Failure(ToolErrorCodes.HostNotAllowed,
                $"the request would go to {uri.GetLeftPart(UriPartial.Authority)}, outside the service's allow-listed base URL", isRetryable: false));
        }

        var request = new HttpRequestMessage(new HttpMethod(binding.Method), uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in binding.Headers)
        {
            var text = Expand(value, arguments);
            if (text is null)
            {
                continue;
            }

            if (text.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                request.Dispose();
                return (null, ToolInvocationResult.Failure(ToolErrorCodes.InvalidArguments, $"header {name} would contain a line break", isRetryable: false));
            }

            request.Headers.TryAddWithoutValidation(name, text);
        }

        if (ArgumentText.IdempotencyKey(tool, arguments, orchestratorKey) is { } key)
        {
            request.Headers.TryAddWithoutValidation(tool.Idempotency!.HeaderName, key);
        }

        if (binding.Auth is { } auth)
        {
            var secret = secrets.GetSecret(auth.SecretName);
            if (secret is null)
            {
                request.Dispose();
                return (null, ToolInvocationResult.Failure(ToolErrorCodes.SecretMissing,
                    $"the tool's secret {auth.SecretName} is not configured", isRetryable: false));
            }

            if (auth.Scheme == ToolAuthScheme.Bearer)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(auth.HeaderName!, secret);
            }
        }

        if (binding.Body is { } bodyTemplate)
        {
            using var context = JsonDocument.Parse($"{{\"args\":{arguments.GetRawText()}}}");
            var body = ArgumentMapping.Apply(bodyTemplate, context.RootElement).Value;
            request.Content = new StringContent(body.GetRawText(), Encoding.UTF8, "application/json");
        }

        return (request, null);
    }

    private static Uri BuildUri(HttpToolBinding binding, JsonElement arguments)
    {
        TextTemplate.TryParse(binding.PathTemplate, out var path, out _);
        var url = new StringBuilder(binding.BaseUri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        url.Append(path!.Expand(name =>
        {
            var value = ArgumentText.Scalar(arguments, name) ?? throw new ArgumentException($"argument '{name}' is required to build the URL");
            if (value.Length == 0 || value is "." or "..")
            {
                throw new ArgumentException($"argument '{name}' cannot be '{value}' in a URL path");
            }

            return Uri.EscapeDataString(value);
        }));

        var separator = '?';
        foreach (var (name, template) in binding.Query)
        {
            if (Expand(template, arguments) is { } value)
            {
                url.Append(separator).Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
                separator = '&';
            }
        }

        return new Uri(url.ToString(), UriKind.Absolute);
    }

    private static string? Expand(string template, JsonElement arguments)
    {
        TextTemplate.TryParse(template, out var parsed, out _);
        return parsed!.Expand(name => ArgumentText.Scalar(arguments, name));
    }
}
