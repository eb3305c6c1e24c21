using System.Text.Json;
using AgentOrchestrator.Tools.Schemas;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>
/// The <see cref="IToolInvoker"/> registered by <c>AddAgentTools</c>: checks the arguments against the full
/// schema (compensation arguments included), enforces the manifest's timeout, and hands the call to the
/// HTTP or handler invoker.
/// </summary>
internal sealed class ToolInvoker(
    ToolArgumentValidator validator,
    HttpToolInvoker http,
    HandlerToolInvoker handlers,
    TimeProvider timeProvider,
    ILogger<ToolInvoker>? logger = null) : IToolInvoker
{
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    public async Task<ToolInvocationResult> InvokeAsync(ToolDefinition tool, JsonElement arguments, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var started = timeProvider.GetTimestamp();
        var result = await InvokeCoreAsync(tool, arguments, idempotencyKey, cancellationToken);
        var elapsed = (long)timeProvider.GetElapsedTime(started).TotalMilliseconds;
        if (result.IsSuccess)
        {
            ToolsLog.ToolSucceeded(_logger, tool.Id, elapsed, result.HttpStatus, result.WasReplayed);
        }
        else if (result.IsInProgress)
        {
            ToolsLog.ToolInProgress(_logger, tool.Id, elapsed, (long)result.RetryAfter!.Value.TotalMilliseconds);
        }
        else
        {
            if (result.ErrorCode == ToolErrorCodes.SecretMissing && tool.Binding is HttpToolBinding { Auth: { } auth })
            {
                ToolsLog.SecretMissing(_logger, tool.Id, auth.SecretName);
            }

            ToolsLog.ToolFailed(_logger, tool.Id, elapsed, result.ErrorCode!, result.HttpStatus, result.IsRetryable);
        }

        return result;
    }

    private async Task<ToolInvocationResult> InvokeCoreAsync(ToolDefinition tool, JsonElement arguments, string key, CancellationToken cancellationToken)
    {
        var validation = validator.Validate(tool, arguments);
        if (!validation.IsValid)
        {
            return ToolInvocationResult.Failure(ToolErrorCodes.InvalidArguments, validation.Describe(), isRetryable: false);
        }

        using var timeout = new CancellationTokenSource(tool.Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return tool.Binding switch
            {
                HttpToolBinding binding => await http.InvokeAsync(tool, binding, validation.Arguments, key, linked.Token),
                HandlerToolBinding binding => await handlers.InvokeAsync(tool, binding, validation.Arguments, key, linked.Token),
                _ => throw new NotSupportedException($"Unknown binding {tool.Binding.GetType().Name}."),
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return ToolInvocationResult.Failure(ToolErrorCodes.Timeout,
                $"no answer within the tool's timeout of {tool.Timeout.TotalSeconds:0.###} s; the same key makes a retry safe", isRetryable: true);
        }
    }
}
