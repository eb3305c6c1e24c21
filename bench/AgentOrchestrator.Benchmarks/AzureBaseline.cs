using System.Diagnostics;
using Azure.Data.Tables;

namespace AgentOrchestrator.Benchmarks;

/// <summary>
/// The cost of one bare entity-group transaction against the same storage endpoint: a status-row replace and one
/// inserted row in one partition, the smallest transaction a checkpoint can be.
/// </summary>
public static class AzureBaseline
{
    public static async Task<double> TransactionMsP50Async(string connectionString, int transactions = 300)
    {
        var table = new TableServiceClient(connectionString).GetTableClient($"baseline{Guid.NewGuid():N}");
        await table.CreateIfNotExistsAsync();
        try
        {
            var times = new List<double>(transactions);
            for (var i = 0; i < transactions; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", "s") { ["Version"] = (long)i }),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", $"h{i:D10}") { ["Events"] = "[{}]" }),
                ]);
                times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return Percentiles.Of(times, 50);
        }
        finally
        {
            await table.DeleteAsync();
        }
    }
}
