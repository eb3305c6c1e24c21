using System.Text.Json;
using AgentOrchestrator.Tools.Schemas;

namespace AgentOrchestrator.Tools;

/// <summary>
/// One version of one tool, as a validated manifest declared it. Immutable: a session that started with
/// this definition keeps using it, whatever happens to the manifest afterwards.
/// </summary>
public sealed class ToolDefinition
{
    internal ToolDefinition(ToolDefinitionParts parts)
    {
        Name = parts.Name;
        Version = parts.Version;
        Title = parts.Title;
        Description = parts.Description;
        Service = parts.Service;
        Source = parts.Source;
        ManifestPointer = parts.ManifestPointer;
        Parameters = parts.Parameters;
        StrictParameters = parts.StrictParameters;
        ResultSchema = parts.ResultSchema;
        Binding = parts.Binding;
        Effects = parts.Effects;
        Idempotency = parts.Idempotency;
        Saga = parts.Saga;
        Retry = parts.Retry;
        Timeout = parts.Timeout;
        Approval = parts.Approval;
        Fingerprint = parts.Fingerprint;
        ParametersValidator = parts.ParametersValidator;
        ResultValidator = parts.ResultValidator;
        ModelDefinitionBytes = System.Text.Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(
            new { type = "function", function = new { name = Name, description = Description, parameters = StrictParameters, strict = true } }, ModelText));
    }

    private static readonly JsonSerializerOptions ModelText = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The name the model calls the tool by.</summary>
    public string Name { get; }

    /// <summary>The manifest's semantic version of the tool.</summary>
    public string Version { get; }

    /// <summary>Human-readable title, if any.</summary>
    public string? Title { get; }

    /// <summary>What the tool does; given to the model.</summary>
    public string Description { get; }

    /// <summary>The <c>service</c> of the manifest that declared the tool.</summary>
    public string Service { get; }

    /// <summary>Where the tool came from: a manifest file name relative to the folder, or a runtime source name.</summary>
    public string Source { get; }

    /// <summary>JSON pointer of the tool inside its manifest, e.g. <c>/tools/2</c>.</summary>
    public string ManifestPointer { get; }

    /// <summary>The full JSON Schema of the arguments, used to check them server-side.</summary>
    public JsonElement Parameters { get; }

    /// <summary>The OpenAI strict-mode copy of <see cref="Parameters"/> given to the model: every property
    /// required, optional ones nullable, <c>additionalProperties: false</c>, unsupported keywords moved into
    /// descriptions.</summary>
    public JsonElement StrictParameters { get; }

    /// <summary>JSON Schema a successful result must match, if the manifest declares one.</summary>
    public JsonElement? ResultSchema { get; }

    /// <summary>How the tool is reached.</summary>
    public ToolBinding Binding { get; }

    /// <summary>The tool's checked effects.</summary>
    public ToolEffects Effects { get; }

    /// <summary>How retries are made harmless; set for every tool that is not read-only.</summary>
    public ToolIdempotency? Idempotency { get; }

    /// <summary>The tool's saga role and compensation; set for every tool that is not read-only.</summary>
    public ToolSagaPolicy? Saga { get; }

    /// <summary>How the orchestrator retries failed calls.</summary>
    public ToolRetryPolicy Retry { get; }

    /// <summary>How long one attempt may take before it is abandoned as timed out.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>When a call needs a person's approval.</summary>
    public ApprovalRule Approval { get; }

    /// <summary>Hash of everything the manifest says about the tool; equal fingerprints mean equal tools.</summary>
    public string Fingerprint { get; }

    /// <summary>The tool's identity across versions, e.g. <c>billing_charge_payment@1.0.0</c>.</summary>
    public string Id => $"{Name}@{Version}";

    internal CompiledSchema ParametersValidator { get; }

    internal CompiledSchema? ResultValidator { get; }

    /// <summary>The size of the tool's definition in a model call, in UTF-8 bytes (see <see cref="AgentToolsOptions.MaxToolDefinitionsBytes"/>).</summary>
    internal int ModelDefinitionBytes { get; }

    /// <summary>Returns <see cref="Id"/>.</summary>
    public override string ToString() => Id;
}
