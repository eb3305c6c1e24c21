using System.Text.Json;
using AgentOrchestrator.Tools.Schemas;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>The manifest schema (tools-manifests/tool-manifest.schema.json, draft 2020-12, embedded at build time).</summary>
internal static class ManifestMetaSchema
{
    private static readonly Lazy<CompiledSchema> Schema = new(Load);

    public static CompiledSchema Instance => Schema.Value;

    public static string Text { get; } = ReadText();

    private static CompiledSchema Load()
    {
        using var document = JsonDocument.Parse(Text);
        return CompiledSchema.Compile(document.RootElement);
    }

    private static string ReadText()
    {
        using var stream = typeof(ManifestMetaSchema).Assembly.GetManifestResourceStream("AgentOrchestrator.Tools.tool-manifest.schema.json")
            ?? throw new InvalidOperationException("The embedded tool-manifest.schema.json is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
