namespace AgentOrchestrator.Host.Model;

/// <summary>The price of one deployment, in the price table's currency.</summary>
public sealed class ModelPrice
{
    /// <summary>Price per million input tokens. Default 0.</summary>
    public decimal InputPerMillion { get; set; }

    /// <summary>Price per million output tokens. Default 0.</summary>
    public decimal OutputPerMillion { get; set; }
}
