namespace AgentOrchestrator.Tools;

/// <summary>The role of a side-effecting tool in a saga.</summary>
public enum SagaRole
{
    /// <summary>Can be undone by its compensation; joins the turn's compensation chain when it succeeds.</summary>
    Compensatable,

    /// <summary>The point of no return: when it succeeds, the chain before it is sealed and never compensated.</summary>
    Pivot,

    /// <summary>Retried until it succeeds and never undone (typically a compensation itself).</summary>
    Retriable,
}
