using System.Text.Json;
using AgentOrchestrator.Tools.Schemas;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>Calls tools with an <c>http</c> binding through <see cref="IHttpClientFactory"/>: builds the
/// request, sends it without following redirects, and turns the response into a result or a classified
/// failure.</summary>
internal sealed class HttpToolInvoker
{
    /// <summary>Name of the <see cref="HttpClient"/> the invoker uses; configure it with <c>AddHttpClient</c>.</summary>
    public const string HttpClientName = "AgentOrchestrator.Tools";

    private readonly IHttpClientFactory _clients;
    private readonly IToolSecretProvider _secrets;
    private readonly ToolArgumentValidator _validator;
    private readonly TimeProvider _timeProvider;
    private readonly OriginAllowList _allowList;
    private readonly int _maxResponseBytes;

    public HttpToolInvoker(IHttpClientFactory clients, IToolSecretProvider secrets, ToolArgumentValidator validator, IOptions<AgentToolsOptions> options, TimeProvider timeProvider)
    {
        _clients = clients;
        _secrets = secrets;
        _validator = validator;
        _timeProvider = timeProvider;
        _allowList = OriginAllowList.From(options.Value);
        _maxResponseBytes = options.Value.MaxResponseBytes;
    }

    public async Task<ToolInvocationResult> InvokeAsync(ToolDefinition tool, HttpToolBinding binding, JsonElement arguments, string key, CancellationToken cancellationToken)
    {
        HttpRequestMessage? request;
        ToolInvocationResult? refusal;
        try
        {
            (request, refusal) = HttpRequestFactory.Create(tool, binding, arguments, key, _secrets, _allowList);
        }
        catch (ArgumentException ex)
        {
            return ToolInvocationResult.Failure(ToolErrorCodes.InvalidArguments, ex.Message, isRetryable: false);
        }

        if (refusal is not null)
        {
            return refusal;
        }

        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await _clients.CreateClient(HttpClientName).SendAsync(request!, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                return ToolInvocationResult.Failure(ToolErrorCodes.NetworkError, $"the service could not be reached: {ex.Message}", isRetryable: true);
            }

            using (response)
            {
                return await ReadResponseAsync(tool, response, cancellationToken);
            }
        }
    }

    private async Task<ToolInvocationResult> ReadResponseAsync(ToolDefinition tool, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        byte[]? body;
        try
        {
            body = await ReadLimitedAsync(response, _maxResponseBytes, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return ToolInvocationResult.Failure(ToolErrorCodes.NetworkError, $"the response broke off: {ex.Message}", isRetryable: true, status);
        }
        catch (IOException ex)
        {
            return ToolInvocationResult.Failure(ToolErrorCodes.NetworkError, $"the response broke off: {ex.Message}", isRetryable: true, status);
        }

        if (body is null)
        {
            return ToolInvocationResult.Failure(ToolErrorCodes.InvalidResponse, $"the response is larger than {_maxResponseBytes} bytes", isRetryable: false, status);
        }

        if (status is >= 300 and < 400)
        {
            return ToolInvocationResult.Failure(ToolErrorCodes.RedirectNotFollowed,
                $"the service redirected to {response.Headers.Location}; redirects are not followed", isRetryable: false, status);
        }

        JsonElement? json = null;
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                json = document.RootElement.Clone();
            }
            catch (JsonException) when (status is < 200 or >= 300)
            {
                // An error page that is not JSON still has a status worth classifying.
            }
            catch (JsonException ex)
            {
                return ToolInvocationResult.Failure(ToolErrorCodes.InvalidResponse, $"the response is not JSON: {ex.Message}", isRetryable: false, status);
            }
        }

        if (status is >= 200 and < 300)
        {
            var result = json ?? JsonDocument.Parse("null").RootElement.Clone();
            var mismatch = _validator.ValidateResult(tool, result);
            if (mismatch.Count > 0)
            {
                return ToolInvocationResult.Failure(ToolErrorCodes.ResultSchemaMismatch,
                    "the service's result does not match the manifest's resultSchema: " + string.Join("; ", mismatch), isRetryable: false, status, rawResult: result);
            }

            var replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Contains("true", StringComparer.OrdinalIgnoreCase);
            return ToolInvocationResult.Success(result, status, replayed);
        }

        var (code, message) = ReadError(json);
        code ??= ToolErrorCodes.HttpStatusPrefix + status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        message ??= $"the service answered {status} {response.ReasonPhrase}";
        var retryable = IsRetryable(tool, status, code);
        if (status == 409 && retryable && tool.Idempotency is not null)
        {
            // The IETF Idempotency-Key draft's answer to a key whose first request is still running: wait, not a failure.
            return ToolInvocationResult.InProgress(code, message, RetryAfter(response) ?? tool.Retry.InitialInterval, status);
        }

        return ToolInvocationResult.Failure(code, message, retryable, status, RetryAfter(response));
    }

    /// <summary>408, 409, 425, 429 and 5xx are worth retrying, unless the manifest lists the status or the error code
    /// as non-retryable. A 409 to a request that carried an idempotency key is the service saying an earlier attempt
    /// with that key still runs: the result is then <see cref="ToolOutcome.InProgress"/>.</summary>
    internal static bool IsRetryable(ToolDefinition tool, int status, string code) =>
        !tool.Retry.NonRetryableErrors.Contains(code)
        && !tool.Retry.NonRetryableStatuses.Contains(status)
        && (status is 408 or 409 or 425 or 429 || status >= 500);

    private static (string? Code, string? Message) ReadError(JsonElement? json)
    {
        if (json is not { ValueKind: JsonValueKind.Object } body)
        {
            return (null, null);
        }

        var error = body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : body;
        return (Text(error, "code") ?? Text(body, "error"), Text(error, "message") ?? Text(body, "detail") ?? Text(body, "title"));

        static string? Text(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _timeProvider.GetUtcNow() is { } wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static async Task<byte[]?> ReadLimitedAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            return null;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }
}
