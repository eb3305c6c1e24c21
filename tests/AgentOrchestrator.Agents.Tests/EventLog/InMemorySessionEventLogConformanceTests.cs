using AgentOrchestrator.Agents.EventLog;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>The event-log conformance suite on the in-memory log.</summary>
[Trait("Category", "Conformance")]
public sealed class InMemorySessionEventLogConformanceTests : SessionEventLogConformanceTests
{
    /// <inheritdoc />
    protected override Task<ISessionEventLog> CreateLogAsync() => Task.FromResult<ISessionEventLog>(new InMemorySessionEventLog());
}
