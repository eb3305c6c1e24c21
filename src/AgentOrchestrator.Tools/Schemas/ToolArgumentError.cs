namespace AgentOrchestrator.Tools.Schemas;

/// <summary>One reason arguments were refused, phrased so the model can correct the call.</summary>
/// <param name="Path">Where the problem is, as a path into the arguments: <c>$</c>, <c>$.amount</c>, <c>$.lines[0].sku</c>.</param>
/// <param name="Message">What is wrong, e.g. <c>must be greater than 0 (got 0)</c>.</param>
public sealed record ToolArgumentError(string Path, string Message)
{
    /// <summary>Formats the error as <c>$.amount: must be greater than 0 (got 0)</c>.</summary>
    public override string ToString() => $"{Path}: {Message}";
}
