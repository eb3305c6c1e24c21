using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.DurableTask.Shims;

/// <summary>
/// DTFx asks this for the activity to run by name; the answer runs the SDK activity registered under that name in a DI
/// scope of its own per execution, as the SDK's own workers do.
/// </summary>
internal sealed class ShimActivityManager(IDurableTaskFactory factory, DurableTaskShimFactory shims, IServiceScopeFactory scopes)
    : INameVersionObjectManager<TaskActivity>
{
    private readonly HashSet<string> _known = [];

    public void Add(ObjectCreator<TaskActivity> creator)
        => throw new NotSupportedException("Activities are registered with the Durable Task SDK (AddTasks), not with DTFx.");

    public TaskActivity? GetObject(string name, string? version)
    {
        lock (_known)
        {
            if (!_known.Contains(name))
            {
                // Ask once whether the name is registered, so an unknown activity fails as DTFx reports it.
                using var probe = scopes.CreateScope();
                if (!factory.TryCreateActivity(new TaskName(name), probe.ServiceProvider, out _))
                {
                    return null;
                }

                _known.Add(name);
            }
        }

        return new ScopedActivityShim(new TaskName(name), factory, shims, scopes);
    }
}
