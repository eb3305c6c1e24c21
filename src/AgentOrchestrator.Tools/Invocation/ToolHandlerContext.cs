using System.Text.Json;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>What a handler is called with.</summary>
/// <param name="Tool">The tool definition the call is for.</param>
/// <param name="Arguments">The validated arguments.</param>
/// <param name="IdempotencyKey">The key of the call after the manifest's key template; the same on every retry
/// of the call. <see langword="null"/> for read-only tools.</param>
public sealed record ToolHandlerContext(ToolDefinition Tool, JsonElement Arguments, string? IdempotencyKey);
