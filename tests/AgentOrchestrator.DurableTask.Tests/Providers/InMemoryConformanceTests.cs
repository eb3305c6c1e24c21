using AgentOrchestrator.DurableTask.Tests.Conformance;
using DurableTask.Core;
using Microsoft.DurableTask.Testing.Sidecar;

namespace AgentOrchestrator.DurableTask.Tests.Providers;

/// <summary>The conformance suite on the in-memory service of Microsoft's in-process test host (tests only).</summary>
public sealed class InMemoryConformanceTests(InMemoryConformanceTests.InMemoryFixture fixture) : ProviderConformanceTests<InMemoryConformanceTests.InMemoryFixture>(fixture)
{
    /// <summary>A fresh in-memory service per test class.</summary>
    public sealed class InMemoryFixture : ProviderFixture
    {
        /// <inheritdoc />
        public override ProviderTraits Traits { get; } = new(ReturnsHistory: false, SeveralWorkersShareAHub: false, MissingInstanceEvent.NotRun, TimerGranularity: TimeSpan.Zero);

        /// <inheritdoc />
        public override IOrchestrationService CreateService(string hubName, bool shortLocks = false) => new InMemoryOrchestrationService();
    }
}
