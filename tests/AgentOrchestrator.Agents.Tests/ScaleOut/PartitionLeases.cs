using AgentOrchestrator.Testing;

namespace AgentOrchestrator.Agents.Tests.ScaleOut;

/// <summary>
/// The control-queue partitions a worker owns, read from the <c>lease ...</c> lines it prints (DurableTask.AzureStorage's
/// own lease events): an ownership lease acquired adds a partition, a lease removed takes it away. A stolen lease is
/// only an intent to take the partition over, so it does not count until the acquisition follows.
/// </summary>
internal static class PartitionLeases
{
    /// <summary>The partitions (as <c>hub-control-NN</c>) <paramref name="worker"/> owns according to what it printed so far.</summary>
    public static IReadOnlySet<string> Owned(WorkerProcess worker)
    {
        var owned = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var line in worker.Output)
        {
            var partition = Field(line, "PartitionId");
            if (partition is null || !partition.Contains("-control-", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("lease LeaseAcquisitionSucceeded ", StringComparison.Ordinal))
            {
                owned.Add(partition);
            }
            else if (line.StartsWith("lease LeaseRemoved ", StringComparison.Ordinal) || line.StartsWith("lease PartitionRemoved ", StringComparison.Ordinal))
            {
                owned.Remove(partition);
            }
        }

        return owned;
    }

    private static string? Field(string line, string name)
    {
        var start = line.IndexOf($" {name}=", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += name.Length + 2;
        var end = line.IndexOf(' ', start);
        return end < 0 ? line[start..] : line[start..end];
    }
}
