using System.Diagnostics;
using System.Text.Json;
using AgentOrchestrator.Tools;
using AgentOrchestrator.Tools.Invocation;

namespace AgentOrchestrator.Agents.CrashWorker;

/// <summary>
/// Wraps the real invoker and, the first time <paramref name="tool"/> succeeds, kills this process with
/// SIGKILL: the service has done the work but the worker never records it, the worst moment to crash.
/// A marker file makes it happen once across restarts.
/// </summary>
internal sealed class CrashingToolInvoker(IToolInvoker inner, string tool, string marker) : IToolInvoker
{
    public async Task<ToolInvocationResult> InvokeAsync(ToolDefinition definition, JsonElement arguments, string idempotencyKey, CancellationToken cancellationToken)
    {
        var result = await inner.InvokeAsync(definition, arguments, idempotencyKey, cancellationToken);
        if (result.IsSuccess && definition.Name == tool && !File.Exists(marker))
        {
            await File.WriteAllTextAsync(marker, idempotencyKey, CancellationToken.None);
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }

        return result;
    }
}
