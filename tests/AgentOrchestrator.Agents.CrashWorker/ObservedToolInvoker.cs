using System.Text.Json;
using AgentOrchestrator.Tools;
using AgentOrchestrator.Tools.Invocation;

namespace AgentOrchestrator.Agents.CrashWorker;

/// <summary>
/// Wraps the real invoker: records every attempt in the worker's ledger, and kills the process at the tool moments of its
/// kill plan (before the request, while it is on its way, after the service answered, after a compensation answered).
/// </summary>
internal sealed class ObservedToolInvoker(IToolInvoker inner, KillSwitch kill, ToolLedger ledger) : IToolInvoker
{
    public async Task<ToolInvocationResult> InvokeAsync(ToolDefinition definition, JsonElement arguments, string idempotencyKey, CancellationToken cancellationToken)
    {
        var what = $"{definition.Name} {idempotencyKey}";
        var compensation = idempotencyKey.EndsWith(":compensate", StringComparison.Ordinal);
        ledger.Record($"started {what}");
        if (kill.IsDue(KillPoint.Before, definition.Name))
        {
            kill.Kill(KillPoint.Before, what);
        }

        var call = inner.InvokeAsync(definition, arguments, idempotencyKey, cancellationToken);
        if (kill.IsDue(KillPoint.During, definition.Name))
        {
            await Task.WhenAny(call, Task.Delay(kill.Delay, CancellationToken.None));
            kill.Kill(KillPoint.During, $"{what} answered={call.IsCompleted}");
        }

        var result = await call;
        ledger.Record($"answered {what} {(result.IsSuccess ? "ok" : result.IsInProgress ? "in-progress" : "failed:" + result.ErrorCode)}");
        if (kill.IsDue(KillPoint.After, definition.Name, result.IsSuccess) || (compensation && kill.IsDue(KillPoint.Compensation, definition.Name, result.IsSuccess)))
        {
            kill.Kill(compensation ? KillPoint.Compensation : KillPoint.After, what);
        }

        return result;
    }
}
