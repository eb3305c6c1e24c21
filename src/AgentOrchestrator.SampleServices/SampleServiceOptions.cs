namespace AgentOrchestrator.SampleServices;

/// <summary>Settings of one sample service.</summary>
public sealed class SampleServiceOptions
{
    /// <summary>SQLite database file, relative to the current directory. Created on first use.</summary>
    public string DatabasePath { get; set; } = "sample.db";

    /// <summary>API key callers must present (CRM: <c>X-Api-Key</c> header; billing: <c>Authorization: Bearer</c>).
    /// Default: <see langword="null"/>, no key required.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long a request of an operation that calls out (<c>charge_payment</c>, <c>refund_payment</c>) holds its
    /// idempotency key: the call out may take at most this long, and a key left by a request that died is free
    /// again after it. Repeats meanwhile get 409 with <c>Retry-After</c>. Local operations hold no key across
    /// transactions. More than 0, at most 1 hour. Default: 1 minute.</summary>
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Faults to inject, so tests and demos can break chains on purpose. Default: none.</summary>
    public IList<FaultRule> Faults { get; } = [];
}
