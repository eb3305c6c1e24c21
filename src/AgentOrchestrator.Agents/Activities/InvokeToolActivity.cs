using System.Text.Json;
using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Tools;
using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Sagas;
using Microsoft.DurableTask;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>
/// Runs one attempt of a tool call or compensation with the call's idempotency key: writes the events the orchestration
/// handed over (this attempt's <c>started</c> last; for a call that answers at once, together with its outcome, see
/// <see cref="HandedEvents"/>), calls the tool, records how it ended, and for a successful compensatable call plans its
/// compensation at once, so the undo is in history before the next step starts.
/// </summary>
internal sealed class InvokeToolActivity(
    ToolRegistry registry, IToolInvoker invoker, CompensationPlanner planner, SessionEventWriter events, TimeProvider time)
    : TaskActivity<ToolCallInput, ToolCallOutcome>
{
    public override async Task<ToolCallOutcome> RunAsync(TaskActivityContext context, ToolCallInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var startedAt = time.GetTimestamp();
        var invocation = InvokeAsync(input, cancellationToken);

        // The handed-over events (this attempt's "started" last) are written as soon as the call is seen to take a while;
        // a call that answers at once writes them with its outcome, in one append instead of two.
        var handed = new HandedEvents(events, input.SessionId, input.Events);
        await handed.WriteIfSlowAsync(invocation, time).ConfigureAwait(false);
        var outcome = await invocation.ConfigureAwait(false);
        var latencyMs = (long)time.GetElapsedTime(startedAt).TotalMilliseconds;

        var final = !outcome.InProgress && (outcome.Success || !outcome.Retryable || input.Attempt >= input.MaxAttempts);
        var kind = input.EventKind(outcome.Success ? "completed" : outcome.InProgress ? "waiting" : "failed");
        var data = input.Describe();
        data["latencyMs"] = latencyMs;
        data["attempts"] = input.Attempt;
        data["result"] = outcome.Success ? JsonText.Parse(outcome.Result) : null;
        data["code"] = outcome.ErrorCode;
        data["error"] = outcome.Error;
        data["willRetry"] = !final;
        data["retryAfterMs"] = outcome.RetryAfterMs;
        var key = final ? $"{input.IdempotencyKey}:{(outcome.Success ? "completed" : "failed")}" : $"{input.AttemptKey}:{(outcome.InProgress ? "waiting" : "failed")}";
        await handed.AppendAsync([events.Entry(kind, data, key)], cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    private async Task<ToolCallOutcome> InvokeAsync(ToolCallInput input, CancellationToken cancellationToken)
    {
        if (!registry.TryGetTool(input.Tool, input.Version, out var tool))
        {
            return new ToolCallOutcome(false, null, "tool_unavailable", $"Tool '{input.Tool}' version {input.Version} is no longer registered.", false, null, null);
        }

        using var arguments = JsonDocument.Parse(input.Arguments);
        var result = await invoker.InvokeAsync(tool, arguments.RootElement, input.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (result.IsInProgress)
        {
            return new ToolCallOutcome(false, null, result.ErrorCode, result.ErrorMessage, true, (long?)result.RetryAfter?.TotalMilliseconds, null, InProgress: true);
        }

        if (!result.IsSuccess)
        {
            var retryable = result.IsRetryable
                && !tool.Retry.NonRetryableErrors.Contains(result.ErrorCode ?? string.Empty)
                && !(result.HttpStatus is { } status && tool.Retry.NonRetryableStatuses.Contains(status));
            return new ToolCallOutcome(false, null, result.ErrorCode, result.ErrorMessage, retryable, (long?)result.RetryAfter?.TotalMilliseconds, null);
        }

        var compensation = input.CompensationOf is null ? Plan(tool, arguments.RootElement, result.Result) : null;
        return new ToolCallOutcome(true, result.Result.GetRawText(), null, null, false, null, compensation);
    }

    private PlannedCompensation? Plan(ToolDefinition tool, JsonElement arguments, JsonElement result)
    {
        var plan = planner.Plan(registry.Current, tool, arguments, result);
        if (plan.Call is not { } call || !registry.TryGetTool(call.ToolName, call.ToolVersion, out var target))
        {
            return null;
        }

        return new PlannedCompensation(call.ToolName, call.ToolVersion, call.Arguments.GetRawText(), call.OnFailure == CompensationFailurePolicy.Continue, CallRetries.From(target));
    }
}
