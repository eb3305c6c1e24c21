using System.Text.Json;
using AgentOrchestrator.Tools.Schemas;

namespace AgentOrchestrator.Tools;

/// <summary>The pieces a <see cref="ToolDefinition"/> is made of, gathered by the manifest parser.</summary>
internal sealed record ToolDefinitionParts(
    string Name,
    string Version,
    string? Title,
    string Description,
    string Service,
    string Source,
    string ManifestPointer,
    JsonElement Parameters,
    JsonElement StrictParameters,
    JsonElement? ResultSchema,
    ToolBinding Binding,
    ToolEffects Effects,
    ToolIdempotency? Idempotency,
    ToolSagaPolicy? Saga,
    ToolRetryPolicy Retry,
    TimeSpan Timeout,
    ApprovalRule Approval,
    string Fingerprint,
    CompiledSchema ParametersValidator,
    CompiledSchema? ResultValidator);
