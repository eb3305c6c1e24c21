using System.Text.Json;
using System.Text.Json.Nodes;
using AgentOrchestrator.Tools.Invocation;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>
/// Parses one manifest document into tool definitions, or into one error per problem, each naming the
/// source, the JSON pointer and the reason. Checks, in order: JSON syntax, the manifest schema
/// (tools-manifests/tool-manifest.schema.json), then what a schema cannot say (binding, effects, saga,
/// allow-listed hosts, secret references). Checks that span manifests live in <see cref="ToolRegistry"/>.
/// </summary>
public sealed class ToolManifestParser
{
    private readonly AgentToolsOptions _options;
    private readonly ToolHandlerCatalog _handlers;
    private readonly OriginAllowList _allowList;

    /// <summary>Creates a parser.</summary>
    /// <param name="options">Allow-list and base URL overrides.</param>
    /// <param name="handlers">The in-process handlers manifests may bind to.</param>
    public ToolManifestParser(IOptions<AgentToolsOptions> options, IEnumerable<IToolHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _handlers = new ToolHandlerCatalog(handlers);
        _allowList = OriginAllowList.From(_options);
    }

    internal ToolHandlerCatalog Handlers => _handlers;

    /// <summary>The settings the parser checks against, also the registry's limits.</summary>
    internal AgentToolsOptions Options => _options;

    internal OriginAllowList AllowList => _allowList;

    /// <summary>Parses <paramref name="json"/>.</summary>
    /// <param name="json">The manifest text.</param>
    /// <param name="source">Name errors and tools are attributed to, e.g. <c>crm.json</c>.</param>
    public ManifestParseResult Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber + 1;
            return Fail(source, new ManifestError(source, string.Empty,
                $"is not valid JSON: {ex.Message.Split(" LineNumber:", 2)[0]} (line {line}, position {ex.BytePositionInLine + 1})", (int?)line));
        }

        using (document)
        {
            var root = document.RootElement;
            JsonLineMap? lines = null;
            var structural = ManifestMetaSchema.Instance.Validate(root)
                .Select(e => new ManifestError(source, e.Pointer, e.Message, (lines ??= new JsonLineMap(json)).LineOf(e.Value)))
                .ToList();
            if (root.ValueKind != JsonValueKind.Object || structural.Exists(e => !e.Pointer.StartsWith("/tools/", StringComparison.Ordinal)))
            {
                return Fail(source, [.. structural]);
            }

            var ctx = new ManifestReadContext(source, root.GetProperty("service").GetString()!, _handlers) { MaxDescriptionLength = _options.MaxToolDescriptionLength };
            ReadService(ctx, root);
            var tools = new List<ToolDefinition>();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in root.GetProperty("tools").EnumerateArray())
            {
                var pointer = $"/tools/{index}";
                var name = element.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
                if (name is not null && !seen.TryAdd(name, index))
                {
                    ctx.Error(pointer + "/name", $"tool '{name}' is declared twice in this manifest (first at /tools/{seen[name]})");
                }
                else if (structural.Where(e => e.Pointer == pointer || e.Pointer.StartsWith(pointer + "/", StringComparison.Ordinal)).ToList() is { Count: > 0 } broken)
                {
                    DiagnoseBeyondStructure(ctx, element, index, broken);
                }
                else if (ToolDefinitionReader.Read(ctx, element, index) is { } tool)
                {
                    tools.Add(tool);
                }

                index++;
            }

            var errors = structural.Concat(ctx.Errors).ToList();
            return errors.Count > 0 ? Fail(source, [.. errors]) : new ManifestParseResult(source, tools, []);
        }
    }

    private void ReadService(ManifestReadContext ctx, JsonElement root)
    {
        var header = JsonNode.Parse(root.GetRawText())!.AsObject();
        header.Remove("tools");
        header.Remove("$schema");
        ctx.ServiceHeader = header.ToJsonString();

        if (!root.TryGetProperty("http", out var http))
        {
            return;
        }

        var pointer = "/http/baseUrl";
        var text = http.GetProperty("baseUrl").GetString()!;
        var origin = "manifest";
        if (_options.Services.TryGetValue(ctx.Service, out var service) && service.BaseUrl is { } overrideUrl)
        {
            text = overrideUrl.ToString();
            origin = $"AgentTools:Services:{ctx.Service}:BaseUrl";
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var baseUri) || !string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.Fragment))
        {
            ctx.Error(pointer, $"'{text}' (from {origin}) must be an absolute http(s) URL without query or fragment");
            ctx.BaseUriRejected = true;
        }
        else if (_allowList.Check(baseUri) is { } refusal)
        {
            ctx.Error(pointer, refusal + (origin == "manifest" ? string.Empty : $" (base URL from {origin})"));
            ctx.BaseUriRejected = true;
        }
        else
        {
            ctx.BaseUri = baseUri;
        }

        if (http.TryGetProperty("auth", out var auth))
        {
            ctx.ServiceAuth = ctx.ReadAuth(auth, "/http/auth");
        }
    }

    /// <summary>
    /// Finds the problems of a tool with structural errors that the structure does not explain, so one load
    /// reports every problem (a missing <c>version</c> and a zero <c>timeout</c> are two errors, not one now and
    /// one on the next save). Errors at, above or below a structural error's pointer are left out: they would
    /// repeat it. The reader expects a structurally valid tool, so it may stop at the broken part; what it
    /// found until then stands.
    /// </summary>
    private static void DiagnoseBeyondStructure(ManifestReadContext ctx, JsonElement element, int index, List<ManifestError> structural)
    {
        var before = ctx.Errors.Count;
        try
        {
            ToolDefinitionReader.Read(ctx, element, index);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The reader reached the structurally broken part (a missing property, a value of another kind); the
            // structural error already describes it, and a diagnosis must never take a load down.
        }

        var found = ctx.Errors.GetRange(before, ctx.Errors.Count - before);
        ctx.Errors.RemoveRange(before, found.Count);
        ctx.Errors.AddRange(found.Where(e => !structural.Exists(s => Overlaps(s.Pointer, e.Pointer))));

        static bool Overlaps(string a, string b) =>
            a == b || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal);
    }

    private static ManifestParseResult Fail(string source, params ManifestError[] errors) => new(source, [], errors);
}
