namespace AgentOrchestrator.Agents.Model;

/// <summary>What a deployment costs, per million tokens, in the currency the table is kept in.</summary>
public sealed class ModelPrice
{
    /// <summary>Price of one million input tokens.</summary>
    public decimal InputPerMillion { get; set; }

    /// <summary>Price of one million output tokens.</summary>
    public decimal OutputPerMillion { get; set; }
}
