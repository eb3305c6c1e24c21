using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.DurableTask.Shims;

/// <summary>One execution of an SDK activity: a DI scope, the activity from the registry's factory, the SDK's shim around it.</summary>
internal sealed class ScopedActivityShim(TaskName name, IDurableTaskFactory factory, DurableTaskShimFactory shims, IServiceScopeFactory scopes) : TaskActivity
{
    public override string Run(TaskContext context, string input)
        => throw new NotSupportedException("DTFx runs activities through RunAsync.");

    public override async Task<string> RunAsync(TaskContext context, string input)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            if (!factory.TryCreateActivity(name, scope.ServiceProvider, out var activity))
            {
                throw new InvalidOperationException($"The activity '{name}' is no longer registered.");
            }

            return await shims.CreateActivity(name, activity).RunAsync(context, input).ConfigureAwait(false);
        }
    }
}
