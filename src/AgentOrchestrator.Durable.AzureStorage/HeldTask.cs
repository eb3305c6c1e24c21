using Azure.Data.Tables;
using Azure.Storage.Queues.Models;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>An activity task this process locked: its row as written (with the ETag) and the work-item queue message it came with.</summary>
/// <param name="Row">The task row with the lock this process wrote.</param>
/// <param name="Message">The work-item queue message, hidden while the lock lasts; null when the task was handed over in a checkpoint.</param>
internal sealed record HeldTask(TableEntity Row, QueueMessage? Message);
