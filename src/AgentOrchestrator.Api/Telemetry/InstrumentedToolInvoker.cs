using System.Diagnostics;
using System.Text.Json;
using AgentOrchestrator.Tools;
using AgentOrchestrator.Tools.Invocation;

namespace AgentOrchestrator.Api.Telemetry;

/// <summary>
/// Wraps the tools layer's invoker with a span (<c>execute_tool {name}</c>, gen_ai attributes) and the tool latency
/// and compensation metrics. A call whose idempotency key ends in <c>:compensate</c> is a compensation (the session
/// orchestration's key convention). Arguments and results are never put on spans: they may hold personal data.
/// </summary>
internal sealed class InstrumentedToolInvoker(IToolInvoker inner, HostTelemetry telemetry, TimeProvider time) : IToolInvoker
{
    public async Task<ToolInvocationResult> InvokeAsync(ToolDefinition tool, JsonElement arguments, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        var compensation = idempotencyKey.EndsWith(":compensate", StringComparison.Ordinal);
        using var span = telemetry.Source.StartActivity($"execute_tool {tool.Name}", ActivityKind.Client);
        span?.SetTag("gen_ai.operation.name", "execute_tool");
        span?.SetTag("gen_ai.tool.name", tool.Name);
        span?.SetTag("agentorchestrator.tool.version", tool.Version);
        span?.SetTag("agentorchestrator.tool.compensation", compensation);
        span?.SetTag("agentorchestrator.idempotency_key", idempotencyKey);
        var started = time.GetTimestamp();
        var outcome = "exception";
        try
        {
            var result = await inner.InvokeAsync(tool, arguments, idempotencyKey, cancellationToken);
            outcome = result.Outcome.ToString().ToLowerInvariant();
            if (!result.IsSuccess)
            {
                span?.SetStatus(ActivityStatusCode.Error, result.ErrorCode);
                span?.SetTag("error.type", result.ErrorCode);
            }

            return result;
        }
        finally
        {
            var tags = new TagList { { "gen_ai.tool.name", tool.Name }, { "outcome", outcome }, { "compensation", compensation } };
            telemetry.ToolDuration.Record(time.GetElapsedTime(started).TotalSeconds, tags);
            if (compensation)
            {
                telemetry.Compensations.Add(1, new TagList { { "gen_ai.tool.name", tool.Name }, { "outcome", outcome } });
            }
        }
    }
}
