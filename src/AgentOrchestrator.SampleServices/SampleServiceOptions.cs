namespace AgentOrchestrator.SampleServices;

/// <summary>Settings of one sample service.</summary>
public sealed class SampleServiceOptions
{
    /// <summary>SQLite database file, relative to the current directory. Created on first use.</summary>
    public string DatabasePath { get; set; } = "sample.db";

    /// <summary>API key callers must present (CRM: <c>X-Api-Key</c> header; billing: <c>Authorization: Bearer</c>).
    /// Default: <see langword="null"/>, no key required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long a request holds its idempotency key before another request may take the key over,
    /// in case the first one died. Default: 1 minute.</summary>
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Faults to inject, so tests and demos can break chains on purpose. Default: none.</summary>
    public IList<FaultRule> Faults { get; } = [];
}
