namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>Waiting for a condition that no event announces, with a timeout.</summary>
internal static class Wait
{
    /// <summary>Checks <paramref name="condition"/> every 20 ms until it holds; fails after <see cref="TestHub.Timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TestHub.Timeout);
        while (!await condition())
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
        }
    }

    /// <summary>As <see cref="UntilAsync(Func{Task{bool}}, string)"/> for a synchronous condition.</summary>
    public static Task UntilAsync(Func<bool> condition, string what) => UntilAsync(() => Task.FromResult(condition()), what);
}
