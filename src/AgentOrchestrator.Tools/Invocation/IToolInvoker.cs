using System.Text.Json;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>Runs one attempt of a tool call. Never throws for a failed call: failures come back as a
/// <see cref="ToolInvocationResult"/> that says whether a retry may help. The orchestrator owns retries,
/// backoff and compensation.</summary>
public interface IToolInvoker
{
    /// <summary>Calls <paramref name="tool"/> once.</summary>
    /// <param name="tool">The tool definition, from the session's catalog.</param>
    /// <param name="arguments">The call's arguments; they are checked against the full schema first.</param>
    /// <param name="idempotencyKey">The orchestrator's key for the call, the same on every attempt
    /// (e.g. <c>{session}:{turn}:{callId}</c>); sent to side-effecting tools through the manifest's key template.</param>
    /// <param name="cancellationToken">Abandons the attempt; then <see cref="OperationCanceledException"/> is thrown
    /// (a timeout, by contrast, is a retryable <see cref="ToolErrorCodes.Timeout"/> failure).</param>
    Task<ToolInvocationResult> InvokeAsync(ToolDefinition tool, JsonElement arguments, string idempotencyKey, CancellationToken cancellationToken);
}
