using DurableTask.Core;

namespace AgentOrchestrator.Benchmarks;

/// <summary>An orchestration service the chain benchmark runs on, with its same-run baseline.</summary>
public interface IChainTarget : IAsyncDisposable
{
    /// <summary>The name printed as <c>store=</c>.</summary>
    string Name { get; }

    /// <summary>Creates a service on a fresh task hub.</summary>
    IOrchestrationService CreateService();

    /// <summary>Deletes what a service created by <see cref="CreateService"/> stored (a warm-up's hub).</summary>
    Task DiscardAsync(IOrchestrationService service);

    /// <summary>The p50 of one bare write (a commit, a storage transaction) against the same backend, in ms.</summary>
    Task<double> BaselineCommitMsP50Async();

    /// <summary>Extra figures for the first output line, or empty.</summary>
    string ExtraFigures { get; }
}
