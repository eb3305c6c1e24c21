namespace AgentOrchestrator.Tools.Invocation;

/// <summary>Error codes the invokers report themselves; a service's own codes (from <c>error.code</c> in its
/// response) pass through unchanged.</summary>
public static class ToolErrorCodes
{
    /// <summary>The arguments failed the tool's schema or could not fill its URL. Not retryable.</summary>
    public const string InvalidArguments = "invalid_arguments";

    /// <summary>The attempt took longer than the tool's timeout. Retryable: the key makes a repeat safe.</summary>
    public const string Timeout = "timeout";

    /// <summary>The service could not be reached or the connection broke. Retryable.</summary>
    public const string NetworkError = "network_error";

    /// <summary>A successful response did not match the result schema. Not retryable; the effect happened.</summary>
    public const string ResultSchemaMismatch = "result_schema_mismatch";

    /// <summary>The response was not JSON, or larger than allowed. Not retryable.</summary>
    public const string InvalidResponse = "invalid_response";

    /// <summary>The request would leave the service's allow-listed origin. Not retryable.</summary>
    public const string HostNotAllowed = "host_not_allowed";

    /// <summary>The service answered with a redirect, which is never followed. Not retryable.</summary>
    public const string RedirectNotFollowed = "redirect_not_followed";

    /// <summary>A secret the tool needs is not in configuration. Not retryable until configuration changes.</summary>
    public const string SecretMissing = "secret_missing";

    /// <summary>No handler is registered under the binding's name. Not retryable.</summary>
    public const string HandlerNotFound = "handler_not_found";

    /// <summary>A handler said an earlier call with the same key is still running (<see cref="ToolOutcome.InProgress"/>).
    /// HTTP services' 409s keep their own code, e.g. <c>idempotency_request_in_progress</c>.</summary>
    public const string InProgress = "in_progress";

    /// <summary>A handler threw an unexpected exception. Retryable.</summary>
    public const string HandlerError = "handler_error";

    /// <summary>Prefix of the code used for an HTTP error without a code in its body, e.g. <c>http_503</c>.</summary>
    public const string HttpStatusPrefix = "http_";
}
