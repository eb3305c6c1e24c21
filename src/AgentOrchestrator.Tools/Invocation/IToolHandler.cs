using System.Text.Json;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>An in-process tool implementation, bound from a manifest by <c>"binding": { "handler": { "name": ... } }</c>.</summary>
public interface IToolHandler
{
    /// <summary>The name manifests bind to.</summary>
    string Name { get; }

    /// <summary>Whether the handler changes nothing. A manifest may only declare a handler tool read-only when
    /// the handler says so.</summary>
    bool IsReadOnly { get; }

    /// <summary>Runs the tool. Throw <see cref="ToolHandlerException"/> for a failure with a code; any other
    /// exception is reported as a retryable <c>handler_error</c>. Side-effecting handlers must honour
    /// <see cref="ToolHandlerContext.IdempotencyKey"/>.</summary>
    /// <param name="context">The tool, arguments and idempotency key of the call.</param>
    /// <param name="cancellationToken">Cancelled when the call times out or is abandoned.</param>
    /// <returns>The result, a JSON value.</returns>
    Task<JsonElement> InvokeAsync(ToolHandlerContext context, CancellationToken cancellationToken);
}
