using System.Collections.Frozen;
using System.Text.Json;
using AgentOrchestrator.Tools.Sagas;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>Reads the policies of a tool: idempotency, saga, retry, timeout and approval.</summary>
internal static class ToolPolicyReader
{
    /// <summary>Longest timeout a manifest may give one attempt.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    /// <summary>The timeout of a tool whose manifest gives none.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static ToolIdempotency? ReadIdempotency(ManifestReadContext ctx, JsonElement tool, string pointer, bool required, ParameterInfo parameters)
    {
        if (!tool.TryGetProperty("idempotency", out var element))
        {
            if (required)
            {
                ctx.Error(pointer + "/idempotency", "is required for a tool that is not read-only, so a retry is harmless (add \"idempotency\": {})");
            }

            return null;
        }

        var header = element.TryGetProperty("header", out var h) ? h.GetString()! : ToolIdempotency.DefaultHeaderName;
        var key = element.TryGetProperty("key", out var k) ? k.GetString()! : ToolIdempotency.DefaultKeyTemplate;
        if (!TextTemplate.TryParse(key, out var template, out var error))
        {
            ctx.Error(pointer + "/idempotency/key", error);
            return null;
        }

        if (!template.Placeholders.Contains("key"))
        {
            ctx.Error(pointer + "/idempotency/key", "must contain {key}, the orchestrator's key for the call; without it different calls would share a key");
        }

        foreach (var name in template.Placeholders.Where(n => n is not "key" and not "tool"))
        {
            if (!name.StartsWith("args.", StringComparison.Ordinal) || !parameters.Has(name[5..]))
            {
                ctx.Error(pointer + "/idempotency/key", $"placeholder {{{name}}} is unknown: use {{key}}, {{tool}} or {{args.<parameter>}} (parameters: {parameters.Describe()})");
            }
        }

        var inProgressTimeout = ReadDuration(ctx, element, "inProgressTimeout", pointer + "/idempotency") ?? ToolIdempotency.DefaultInProgressTimeout;
        if (inProgressTimeout <= TimeSpan.Zero || inProgressTimeout > ToolIdempotency.MaxInProgressTimeout)
        {
            ctx.Error(pointer + "/idempotency/inProgressTimeout", "must be more than 0 and at most 1h");
        }

        return new ToolIdempotency(header, key) { InProgressTimeout = inProgressTimeout };
    }

    public static ToolSagaPolicy? ReadSaga(ManifestReadContext ctx, JsonElement tool, string pointer, string name, bool readOnly, bool required, ParameterInfo parameters)
    {
        if (!tool.TryGetProperty("saga", out var saga))
        {
            if (required)
            {
                ctx.Error(pointer + "/saga", "is required for a tool that is not read-only: declare its role (compensatable, pivot or retriable)");
            }

            return null;
        }

        if (readOnly)
        {
            ctx.Error(pointer + "/saga", "a read-only tool takes no part in a saga; remove saga");
            return null;
        }

        var role = saga.GetProperty("role").GetString() switch
        {
            "compensatable" => SagaRole.Compensatable,
            "pivot" => SagaRole.Pivot,
            _ => SagaRole.Retriable,
        };
        var onFailure = saga.TryGetProperty("onCompensationFailure", out var f) && f.GetString() == "continue"
            ? CompensationFailurePolicy.Continue
            : CompensationFailurePolicy.Park;

        if (!saga.TryGetProperty("compensation", out var compensation))
        {
            if (role == SagaRole.Compensatable)
            {
                ctx.Error(pointer + "/saga/compensation", "is required for a compensatable tool: name the tool that undoes it and map its arguments");
            }

            return new ToolSagaPolicy(role, null, onFailure);
        }

        if (role != SagaRole.Compensatable)
        {
            ctx.Error(pointer + "/saga/compensation", $"only a compensatable tool has a compensation (role is {role.ToString().ToLowerInvariant()})");
            return null;
        }

        var compensationTool = compensation.GetProperty("tool").GetString()!;
        if (compensationTool == name)
        {
            ctx.Error(pointer + "/saga/compensation/tool", "a tool cannot compensate itself");
        }

        var arguments = compensation.GetProperty("arguments");
        foreach (var (suffix, text) in ArgumentMapping.EnumeratePaths(arguments))
        {
            var itemPointer = pointer + "/saga/compensation/arguments" + suffix;
            if (!JsonPathExpression.TryParse(text, out var path, out var error))
            {
                ctx.Error(itemPointer, error);
            }
            else if (path.Segments.Count == 0 || path.Segments[0].Name is not ("args" or "result"))
            {
                ctx.Error(itemPointer, $"'{text}' must start with $.args (the original arguments) or $.result (the original result)");
            }
            else if (path.Segments[0].Name == "args" && path.Segments.Count > 1 && path.Segments[1].Name is { } arg && !parameters.Has(arg))
            {
                ctx.Error(itemPointer, $"'{text}' names no parameter of this tool (parameters: {parameters.Describe()})");
            }
        }

        return new ToolSagaPolicy(role, new CompensationTemplate(compensationTool, arguments.Clone()), onFailure);
    }

    public static ToolRetryPolicy ReadRetry(ManifestReadContext ctx, JsonElement tool, string pointer)
    {
        var policy = ToolRetryPolicy.Default;
        if (!tool.TryGetProperty("retry", out var retry))
        {
            return policy;
        }

        var initial = ReadDuration(ctx, retry, "initialInterval", pointer + "/retry") ?? policy.InitialInterval;
        var max = ReadDuration(ctx, retry, "maxInterval", pointer + "/retry") ?? policy.MaxInterval;
        if (max < initial)
        {
            ctx.Error(pointer + "/retry/maxInterval", "must not be shorter than initialInterval");
        }

        return policy with
        {
            InitialInterval = initial,
            MaxInterval = max,
            BackoffCoefficient = retry.TryGetProperty("backoffCoefficient", out var c) ? c.GetDouble() : policy.BackoffCoefficient,
            MaxAttempts = retry.TryGetProperty("maxAttempts", out var a) ? a.GetInt32() : policy.MaxAttempts,
            NonRetryableErrors = retry.TryGetProperty("nonRetryableErrors", out var e)
                ? e.EnumerateArray().Select(x => x.GetString()!).ToFrozenSet(StringComparer.Ordinal)
                : policy.NonRetryableErrors,
            NonRetryableStatuses = retry.TryGetProperty("nonRetryableStatuses", out var s)
                ? s.EnumerateArray().Select(x => x.GetInt32()).ToFrozenSet()
                : policy.NonRetryableStatuses,
        };
    }

    public static TimeSpan ReadTimeout(ManifestReadContext ctx, JsonElement tool, string pointer)
    {
        var timeout = ReadDuration(ctx, tool, "timeout", pointer) ?? DefaultTimeout;
        if (timeout <= TimeSpan.Zero || timeout > MaxTimeout)
        {
            ctx.Error(pointer + "/timeout", "must be more than 0 and at most 1h");
        }

        return timeout;
    }

    public static ApprovalRule ReadApproval(ManifestReadContext ctx, JsonElement tool, string pointer, ParameterInfo parameters)
    {
        if (!tool.TryGetProperty("approval", out var approval))
        {
            return ApprovalRule.None;
        }

        var reason = approval.TryGetProperty("reason", out var r) ? r.GetString() : null;
        var required = approval.TryGetProperty("required", out var q) && q.GetBoolean();
        if (!approval.TryGetProperty("when", out var when))
        {
            return required ? ApprovalRule.Always(reason) : ApprovalRule.None;
        }

        if (approval.TryGetProperty("required", out _))
        {
            ctx.Error(pointer + "/approval", "use either required or when, not both");
            return ApprovalRule.None;
        }

        var pathText = when.GetProperty("path").GetString()!;
        if (!JsonPathExpression.TryParse(pathText, out var path, out var error))
        {
            ctx.Error(pointer + "/approval/when/path", error);
            return ApprovalRule.None;
        }

        if (path.Segments.Count == 0 || path.Segments[0].Name is not { } first || !parameters.Has(first))
        {
            ctx.Error(pointer + "/approval/when/path", $"'{pathText}' names no parameter (parameters: {parameters.Describe()})");
            return ApprovalRule.None;
        }

        var (comparison, operand) = when.EnumerateObject().First(p => p.Name != "path") switch
        {
            { Name: "greaterThan" } p => (ApprovalComparison.GreaterThan, p.Value),
            { Name: "greaterThanOrEqual" } p => (ApprovalComparison.GreaterThanOrEqual, p.Value),
            { Name: "lessThan" } p => (ApprovalComparison.LessThan, p.Value),
            { Name: "lessThanOrEqual" } p => (ApprovalComparison.LessThanOrEqual, p.Value),
            var p => (ApprovalComparison.EqualTo, p.Value),
        };
        return ApprovalRule.When(path, comparison, operand, reason);
    }

    private static TimeSpan? ReadDuration(ManifestReadContext ctx, JsonElement parent, string name, string pointer)
    {
        if (!parent.TryGetProperty(name, out var element))
        {
            return null;
        }

        if (!Duration.TryParse(element.GetString()!, out var value))
        {
            ctx.Error($"{pointer}/{name}", $"'{element.GetString()}' is not a duration such as 250ms, 5s, 2m or 1h");
            return null;
        }

        return value;
    }
}
