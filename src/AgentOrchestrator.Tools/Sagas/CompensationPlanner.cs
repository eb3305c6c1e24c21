using System.Text.Json;
using AgentOrchestrator.Tools.Schemas;

namespace AgentOrchestrator.Tools.Sagas;

/// <summary>
/// Builds the compensation of a completed step from its arguments and result, using the manifest's
/// argument map over <c>{ "args": ..., "result": ... }</c>, and checks the mapped arguments against the
/// compensating tool's schema so a compensation that could never run is caught when the step completes,
/// not when it is needed.
/// </summary>
/// <param name="validator">Checks the mapped arguments.</param>
public sealed class CompensationPlanner(ToolArgumentValidator validator)
{
    /// <summary>Plans the compensation of a completed call of <paramref name="tool"/>.</summary>
    /// <param name="catalog">The session's catalog, which holds the compensating tool's version.</param>
    /// <param name="tool">The tool that completed.</param>
    /// <param name="arguments">The arguments it was called with.</param>
    /// <param name="result">Its result.</param>
    public CompensationPlan Plan(ToolCatalog catalog, ToolDefinition tool, JsonElement arguments, JsonElement result)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(tool);
        if (tool.Saga is not { Role: SagaRole.Compensatable, Compensation: { } compensation } saga)
        {
            return CompensationPlan.None;
        }

        if (!catalog.TryGet(compensation.ToolName, out var target))
        {
            return new(null, [$"the compensating tool '{compensation.ToolName}' is not in tool catalog version {catalog.Version}"]);
        }

        using var context = JsonDocument.Parse($"{{\"args\":{arguments.GetRawText()},\"result\":{result.GetRawText()}}}");
        var mapped = ArgumentMapping.Apply(compensation.Arguments, context.RootElement);
        var validation = validator.Validate(target, mapped.Value);
        if (!validation.IsValid)
        {
            var errors = validation.Errors.Select(e => $"{target.Name} {e}").ToList();
            errors.AddRange(mapped.MissingPaths.Select(p => $"{p} names nothing in the call's arguments and result"));
            return new(null, errors);
        }

        return new(new CompensationCall(target.Name, target.Version, validation.Arguments, saga.OnCompensationFailure), []);
    }
}
