using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentOrchestrator.Tools.Schemas;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>Reads one structurally valid tool entry into a <see cref="ToolDefinition"/>, checking what the
/// manifest schema cannot: schemas, binding, effects against the binding, saga and policies.</summary>
internal static class ToolDefinitionReader
{
    public static ToolDefinition? Read(ManifestReadContext ctx, JsonElement tool, int index)
    {
        var pointer = $"/tools/{index}";
        var before = ctx.Errors.Count;
        var name = tool.GetProperty("name").GetString()!;
        var description = tool.GetProperty("description").GetString()!;
        if (description.Length > ctx.MaxDescriptionLength)
        {
            ctx.Error(pointer + "/description", $"is {description.Length} characters long; at most {ctx.MaxDescriptionLength} are allowed "
                + "(AgentTools:MaxToolDescriptionLength): the model reads it on every call; move details into the parameters' descriptions");
        }

        var parameters = tool.GetProperty("parameters");
        var parameterInfo = new ParameterInfo(parameters);
        var strictErrors = new List<(string Pointer, string Message)>();
        var strict = StrictSchemaConverter.Convert(parameters, strictErrors);
        strictErrors.ForEach(e => ctx.Error(pointer + "/parameters" + e.Pointer, e.Message));
        var parametersValidator = strictErrors.Count == 0 ? LoadSchema(ctx, parameters, pointer + "/parameters") : null;

        JsonElement? resultSchema = null;
        CompiledSchema? resultValidator = null;
        if (tool.TryGetProperty("resultSchema", out var result))
        {
            var resultErrors = new List<(string Pointer, string Message)>();
            StrictSchemaConverter.Check(result, resultErrors);
            resultErrors.ForEach(e => ctx.Error(pointer + "/resultSchema" + e.Pointer, e.Message));
            resultSchema = result.Clone();
            resultValidator = resultErrors.Count == 0 ? LoadSchema(ctx, result, pointer + "/resultSchema") : null;
        }

        var effectsElement = tool.GetProperty("effects");
        var readOnly = effectsElement.GetProperty("readOnly").GetBoolean();
        var effectErrors = ctx.Errors.Count;
        var effects = ReadEffects(ctx, effectsElement, pointer, tool.GetProperty("binding"));

        // When the effects contradict the binding, that is the one problem to report: asking for the
        // idempotency and saga a side-effecting tool needs would only repeat it.
        var needsEffectPolicies = !readOnly && ctx.Errors.Count == effectErrors;
        var idempotency = ToolPolicyReader.ReadIdempotency(ctx, tool, pointer, needsEffectPolicies, parameterInfo);
        var binding = ReadBinding(ctx, tool.GetProperty("binding"), pointer + "/binding", parameterInfo, idempotency?.HeaderName);
        var saga = ToolPolicyReader.ReadSaga(ctx, tool, pointer, name, readOnly, needsEffectPolicies, parameterInfo);
        var retry = ToolPolicyReader.ReadRetry(ctx, tool, pointer);
        var timeout = ToolPolicyReader.ReadTimeout(ctx, tool, pointer);
        var approval = ToolPolicyReader.ReadApproval(ctx, tool, pointer, parameterInfo);

        if (ctx.Errors.Count != before || binding is null || parametersValidator is null)
        {
            return null;
        }

        return new ToolDefinition(new ToolDefinitionParts(
            name,
            tool.GetProperty("version").GetString()!,
            tool.TryGetProperty("title", out var title) ? title.GetString() : null,
            description,
            ctx.Service,
            ctx.Source,
            pointer,
            parameters.Clone(),
            strict,
            resultSchema,
            binding,
            effects,
            idempotency,
            saga,
            retry,
            timeout,
            approval,
            Fingerprint(ctx, tool),
            parametersValidator,
            resultValidator));
    }

    private static ToolBinding? ReadBinding(ManifestReadContext ctx, JsonElement binding, string pointer, ParameterInfo parameters, string? idempotencyHeader)
    {
        if (binding.TryGetProperty("http", out var http))
        {
            return HttpBindingReader.Read(ctx, http, pointer + "/http", parameters, idempotencyHeader);
        }

        var handlerName = binding.GetProperty("handler").GetProperty("name").GetString()!;
        if (!ctx.Handlers.TryGet(handlerName, out _))
        {
            ctx.Error(pointer + "/handler/name", $"no handler named '{handlerName}' is registered (register it with AddToolHandler)");
            return null;
        }

        return new HandlerToolBinding(handlerName);
    }

    private static ToolEffects ReadEffects(ManifestReadContext ctx, JsonElement effects, string pointer, JsonElement binding)
    {
        var readOnly = effects.GetProperty("readOnly").GetBoolean();
        bool? destructive = effects.TryGetProperty("destructive", out var d) ? d.GetBoolean() : null;
        bool? idempotent = effects.TryGetProperty("idempotent", out var i) ? i.GetBoolean() : null;
        var openWorld = effects.TryGetProperty("openWorld", out var o) && o.GetBoolean();
        pointer += "/effects";

        if (readOnly && destructive == true)
        {
            ctx.Error(pointer + "/destructive", "a read-only tool cannot be destructive");
        }

        if (readOnly && idempotent == false)
        {
            ctx.Error(pointer + "/idempotent", "a read-only tool is idempotent by nature; remove idempotent or set it to true");
        }

        if (binding.TryGetProperty("http", out var http))
        {
            var method = http.GetProperty("method").GetString();
            var safe = method is "GET" or "HEAD";
            if (readOnly && !safe)
            {
                ctx.Error(pointer + "/readOnly", $"a read-only HTTP tool must use GET or HEAD, not {method}");
            }
            else if (!readOnly && safe)
            {
                ctx.Error(pointer + "/readOnly", $"{method} requests must not change anything: declare readOnly: true, or bind the tool to POST, PUT, PATCH or DELETE");
            }

            if (method == "DELETE" && destructive == false)
            {
                ctx.Error(pointer + "/destructive", "a DELETE removes data: it cannot be declared non-destructive");
            }
        }
        else if (readOnly && binding.GetProperty("handler").GetProperty("name").GetString() is { } handlerName
            && ctx.Handlers.TryGet(handlerName, out var handler) && !handler.IsReadOnly)
        {
            ctx.Error(pointer + "/readOnly", $"handler '{handlerName}' is not registered as read-only, so the tool cannot be declared read-only");
        }

        return new ToolEffects(readOnly, destructive ?? !readOnly, idempotent ?? readOnly, openWorld);
    }

    /// <summary>Builds the schema that checks values server-side; a schema the earlier checks passed but the
    /// library refuses is reported once, at the schema.</summary>
    private static CompiledSchema? LoadSchema(ManifestReadContext ctx, JsonElement schema, string pointer)
    {
        if (CompiledSchema.TryCompile(schema, out var compiled, out var error))
        {
            return compiled;
        }

        ctx.Error(pointer, $"is not a usable JSON Schema: {error}");
        return null;
    }

    private static string Fingerprint(ManifestReadContext ctx, JsonElement tool)
    {
        var text = $"{ctx.ServiceHeader}\n{ctx.BaseUri}\n{JsonSerializer.Serialize(tool)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }
}
