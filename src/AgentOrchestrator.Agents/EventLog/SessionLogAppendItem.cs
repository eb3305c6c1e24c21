namespace AgentOrchestrator.Agents.EventLog;

/// <summary>An entry of an append that is still to be stored.</summary>
/// <param name="Index">Its position in the caller's list (names its payload blob).</param>
/// <param name="Entry">The entry.</param>
/// <param name="Key">Its dedupe key, escaped as stored (a lone surrogate would not survive storage as it is).</param>
/// <param name="Spills">True when its payload goes to a blob.</param>
internal sealed record SessionLogAppendItem(int Index, SessionLogEntry Entry, string Key, bool Spills);
