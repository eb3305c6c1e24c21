namespace AgentOrchestrator.Agents.Model;

/// <summary>What a deployment or model costs, per one million tokens, in the currency the operator bills in.</summary>
public sealed class ModelPrice
{
    /// <summary>Price of one million input (prompt) tokens. Default 0.</summary>
    public decimal InputPerMillion { get; set; }

    /// <summary>Price of one million output (completion) tokens. Default 0.</summary>
    public decimal OutputPerMillion { get; set; }

    /// <summary>The cost of one call.</summary>
    /// <param name="inputTokens">Input tokens used.</param>
    /// <param name="outputTokens">Output tokens used.</param>
    public decimal CostOf(long inputTokens, long outputTokens) =>
        ((inputTokens * InputPerMillion) + (outputTokens * OutputPerMillion)) / 1_000_000m;
}
