using AgentOrchestrator.Agents.Tests.Infrastructure;

namespace AgentOrchestrator.Agents.Tests.Crash;

/// <summary>
/// An order session a test started with <see cref="SampleScripts.Order"/>: its customer's e-mail address (one contact per
/// order) and the card the scripted model charges.
/// </summary>
internal sealed record OrderSession(string SessionId, string Email, string Card)
{
    /// <summary>Whether the billing service declines the card, so the chain must be rolled back.</summary>
    public bool Declined => Card == SampleScripts.DeclinedCard;
}
