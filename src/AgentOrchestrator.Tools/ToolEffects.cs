namespace AgentOrchestrator.Tools;

/// <summary>
/// The effects of a tool (the MCP tool annotations), after the loader has checked them against the
/// binding: a read-only HTTP tool is known to use GET or HEAD, a DELETE is known to be destructive.
/// </summary>
/// <param name="ReadOnly">The tool changes nothing; calls may run in parallel and need no compensation.</param>
/// <param name="Destructive">The tool may destroy data (MCP default for tools that are not read-only).</param>
/// <param name="Idempotent">Repeating the call with the same arguments has no further effect.</param>
/// <param name="OpenWorld">The tool reaches beyond the organisation, e.g. a card network or an email.</param>
public sealed record ToolEffects(bool ReadOnly, bool Destructive, bool Idempotent, bool OpenWorld);
