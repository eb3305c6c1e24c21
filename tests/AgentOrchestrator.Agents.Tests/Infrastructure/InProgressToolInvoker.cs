using System.Text.Json;
using AgentOrchestrator.Tools;
using AgentOrchestrator.Tools.Invocation;

namespace AgentOrchestrator.Agents.Tests.Infrastructure;

/// <summary>
/// Answers the first <paramref name="times"/> calls of <paramref name="tool"/> as its service does while an earlier attempt
/// with the same key still holds it (409 in progress, Retry-After), then lets the real call through: as after a crash of
/// the service between taking the key and finishing the work.
/// </summary>
internal sealed class InProgressToolInvoker(IToolInvoker inner, string tool, int times, TimeSpan retryAfter) : IToolInvoker
{
    private int _answered;

    public int InProgressAnswers => _answered;

    public Task<ToolInvocationResult> InvokeAsync(ToolDefinition definition, JsonElement arguments, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (definition.Name == tool && Interlocked.Increment(ref _answered) <= times)
        {
            return Task.FromResult(ToolInvocationResult.InProgress("idempotency_request_in_progress", "A request with this key is still in progress.", retryAfter, 409));
        }

        return inner.InvokeAsync(definition, arguments, idempotencyKey, cancellationToken);
    }
}
