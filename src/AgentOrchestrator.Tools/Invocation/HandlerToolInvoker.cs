using System.Text.Json;
using AgentOrchestrator.Tools.Manifests;
using AgentOrchestrator.Tools.Schemas;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>Calls tools with a <c>handler</c> binding: finds the handler by name and runs it in process.</summary>
internal sealed class HandlerToolInvoker(ToolManifestParser parser, ToolArgumentValidator validator)
{
    public async Task<ToolInvocationResult> InvokeAsync(ToolDefinition tool, HandlerToolBinding binding, JsonElement arguments, string key, CancellationToken cancellationToken)
    {
        if (!parser.Handlers.TryGet(binding.HandlerName, out var handler))
        {
            return ToolInvocationResult.Failure(ToolErrorCodes.HandlerNotFound, $"no handler named '{binding.HandlerName}' is registered", isRetryable: false);
        }

        JsonElement result;
        try
        {
            result = await handler.InvokeAsync(new ToolHandlerContext(tool, arguments, ArgumentText.IdempotencyKey(tool, arguments, key)), cancellationToken);
        }
        catch (ToolHandlerException ex) when (ex.IsInProgress)
        {
            return ToolInvocationResult.InProgress(ex.Code, ex.Message, ex.RetryAfter ?? tool.Retry.InitialInterval);
        }
        catch (ToolHandlerException ex)
        {
            return ToolInvocationResult.Failure(ex.Code, ex.Message, ex.IsRetryable && !tool.Retry.NonRetryableErrors.Contains(ex.Code));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ToolInvocationResult.Failure(ToolErrorCodes.HandlerError, $"the handler failed: {ex.Message}",
                !tool.Retry.NonRetryableErrors.Contains(ToolErrorCodes.HandlerError));
        }

        var mismatch = validator.ValidateResult(tool, result);
        return mismatch.Count > 0
            ? ToolInvocationResult.Failure(ToolErrorCodes.ResultSchemaMismatch,
                "the handler's result does not match the manifest's resultSchema: " + string.Join("; ", mismatch), isRetryable: false, rawResult: result)
            : ToolInvocationResult.Success(result);
    }
}
