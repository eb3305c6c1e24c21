using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;

namespace AgentOrchestrator.DurableTask.Shims;

/// <summary>
/// DTFx asks this for the orchestration to run by name; the answer is the SDK orchestrator registered under that name
/// (<c>AddTasks</c>), created by the registry's factory and wrapped by the SDK's public <see cref="DurableTaskShimFactory"/>.
/// A new object per request: DTFx keeps one per running execution (and reuses it across an extended session).
/// </summary>
internal sealed class ShimOrchestrationManager(IDurableTaskFactory factory, DurableTaskShimFactory shims, IServiceProvider services)
    : INameVersionObjectManager<TaskOrchestration>
{
    public void Add(ObjectCreator<TaskOrchestration> creator)
        => throw new NotSupportedException("Orchestrators are registered with the Durable Task SDK (AddTasks), not with DTFx.");

    public TaskOrchestration? GetObject(string name, string? version)
        => factory.TryCreateOrchestrator(new TaskName(name), services, out var orchestrator)
            ? shims.CreateOrchestration(new TaskName(name), orchestrator)
            : null; // DTFx fails the instance with "orchestration not found", naming it
}
