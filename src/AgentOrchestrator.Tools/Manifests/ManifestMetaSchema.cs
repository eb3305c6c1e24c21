using NJsonSchema;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>The manifest schema (tools-manifests/tool-manifest.schema.json, embedded at build time).</summary>
internal static class ManifestMetaSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(Load);

    public static JsonSchema Instance => Schema.Value;

    public static string Text { get; } = ReadText();

    private static JsonSchema Load() => JsonSchema.FromJsonAsync(Text).GetAwaiter().GetResult();

    private static string ReadText()
    {
        using var stream = typeof(ManifestMetaSchema).Assembly.GetManifestResourceStream("AgentOrchestrator.Tools.tool-manifest.schema.json")
            ?? throw new InvalidOperationException("The embedded tool-manifest.schema.json is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
