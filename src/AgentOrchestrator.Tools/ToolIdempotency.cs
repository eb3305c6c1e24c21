namespace AgentOrchestrator.Tools;

/// <summary>How a side-effecting tool makes a retry harmless: every call carries a key, and the service
/// answers a repeated key with the stored result instead of acting twice.</summary>
/// <param name="HeaderName">Header carrying the key for HTTP tools; default <c>Idempotency-Key</c>.</param>
/// <param name="KeyTemplate">Key template: <c>{key}</c> is the orchestrator's key for the call, <c>{tool}</c>
/// the tool name, <c>{args.name}</c> an argument; default <c>{key}</c>.</param>
public sealed record ToolIdempotency(string HeaderName, string KeyTemplate)
{
    /// <summary>The header name used when a manifest names none.</summary>
    public const string DefaultHeaderName = "Idempotency-Key";

    /// <summary>The key template used when a manifest gives none.</summary>
    public const string DefaultKeyTemplate = "{key}";

    /// <summary>The longest a manifest may let a caller wait on a key the service reports in progress.</summary>
    public static readonly TimeSpan MaxInProgressTimeout = TimeSpan.FromHours(1);

    /// <summary>The <see cref="InProgressTimeout"/> of a tool whose manifest gives none: 2 minutes, longer than the
    /// 1-minute lease the sample services put on a key whose request calls out.</summary>
    public static TimeSpan DefaultInProgressTimeout { get; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a caller may keep waiting, from the first <see cref="Invocation.ToolOutcome.InProgress"/> answer,
    /// for the service to finish an earlier attempt with the same key (manifest <c>idempotency.inProgressTimeout</c>).
    /// Waiting spends no attempt of the <see cref="ToolRetryPolicy"/>; when this runs out, the call has failed for good.
    /// Default: <see cref="DefaultInProgressTimeout"/>.</summary>
    public TimeSpan InProgressTimeout { get; init; } = DefaultInProgressTimeout;
}
