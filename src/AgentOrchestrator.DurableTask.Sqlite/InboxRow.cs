using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>A message row read from the inbox; <see cref="DeliveryCount"/> counts the delivery being made.</summary>
internal sealed record InboxRow(long Seq, int DeliveryCount, EventType EventType, string Json);
