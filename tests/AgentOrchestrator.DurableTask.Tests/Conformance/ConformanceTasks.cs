using System.Collections.Concurrent;
using Microsoft.DurableTask;

namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>The orchestrators and activities the conformance scenarios run, written against the Durable Task SDK.</summary>
internal static class ConformanceTasks
{
    /// <summary>How often each keyed activity call really ran.</summary>
    public static ConcurrentDictionary<string, int> Calls { get; } = new();

    /// <summary>Gates activities wait on until a test opens them, keyed by the activity's input.</summary>
    public static ConcurrentDictionary<string, TaskCompletionSource<string>> Gates { get; } = new();

    /// <summary>Tells a test that the gated activity with that key started.</summary>
    public static ConcurrentDictionary<string, TaskCompletionSource> GateReached { get; } = new();

    public static TaskCompletionSource<string> Gate(string key) => Gates.GetOrAdd(key, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    public static TaskCompletionSource Reached(string key) => GateReached.GetOrAdd(key, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

    public static void Register(DurableTaskRegistry r) => r
        .AddActivityFunc<int, int>("Double", (_, x) => x * 2)
        .AddActivityFunc<string, string>("Echo", (_, s) => s)
        .AddActivityFunc<string, string>("Flaky", (_, key) =>
        {
            var n = Calls.AddOrUpdate(key, 1, (_, c) => c + 1);
            return n < 3 ? throw new InvalidOperationException($"attempt {n} failed") : $"ok after {n}";
        })
        .AddActivityFunc<string, string>("Boom", string (TaskActivityContext _, string reason) => throw new InvalidOperationException(reason))
        .AddActivityFunc<string, string>("Gated", async (_, key) =>
        {
            Calls.AddOrUpdate(key, 1, (_, c) => c + 1);
            Reached(key).TrySetResult();
            return await Gate(key).Task;
        })
        .AddActivityFunc<string, string>("HangOnce", async (_, key) =>
        {
            // The first run hangs for good (its worker is then cut off); a second run answers at once.
            if (Calls.AddOrUpdate(key, 1, (_, c) => c + 1) == 1)
            {
                Reached(key).TrySetResult();
                await Gate(key).Task;
            }

            return "second run";
        })
        .AddOrchestratorFunc<string, string>("HangOnce", async (ctx, key) => await ctx.CallActivityAsync<string>("HangOnce", key))
        .AddOrchestratorFunc<int, int>("Chain", async (ctx, n) =>
        {
            var value = 1;
            for (var i = 0; i < n; i++)
            {
                value = await ctx.CallActivityAsync<int>("Double", value);
            }

            return value;
        })
        .AddOrchestratorFunc<int, int>("FanOut", async (ctx, n) =>
        {
            var results = await Task.WhenAll(Enumerable.Range(1, n).Select(i => ctx.CallActivityAsync<int>("Double", i)));
            return results.Sum();
        })
        .AddOrchestratorFunc<int, double>("Timer", async (ctx, ms) =>
        {
            var before = ctx.CurrentUtcDateTime;
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(ms), CancellationToken.None);
            return (ctx.CurrentUtcDateTime - before).TotalMilliseconds;
        })
        .AddOrchestratorFunc<string, string>("GateThenEvent", async (ctx, key) =>
        {
            var gated = await ctx.CallActivityAsync<string>("Gated", key);
            var approval = await ctx.WaitForExternalEvent<string>("approve");
            return $"{gated}, approved by {approval}";
        })
        .AddOrchestratorFunc<int, string>("EventOrTimeout", async (ctx, ms) =>
        {
            try
            {
                return await ctx.WaitForExternalEvent<string>("approve", TimeSpan.FromMilliseconds(ms));
            }
            catch (TaskCanceledException)
            {
                return "timed out";
            }
        })
        .AddOrchestratorFunc<string, string>("WaitForEvent", async (ctx, _) => await ctx.WaitForExternalEvent<string>("approve"))
        .AddOrchestratorFunc<int, int>("Parent", async (ctx, n) => await ctx.CallSubOrchestratorAsync<int>("Chain", n) + 1)
        .AddOrchestratorFunc<string, string>("FailingParent", async (ctx, reason) =>
        {
            try
            {
                return await ctx.CallSubOrchestratorAsync<string>("Uncaught", reason);
            }
            catch (TaskFailedException e)
            {
                return $"child failed: {e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}";
            }
        })
        .AddOrchestratorFunc<string, string>("Uncaught", async (ctx, reason) => await ctx.CallActivityAsync<string>("Boom", reason))
        .AddOrchestratorFunc<string, string>("Retry", async (ctx, key) => await ctx.CallActivityAsync<string>(
            "Flaky", key, TaskOptions.FromRetryPolicy(new RetryPolicy(3, TimeSpan.FromMilliseconds(50)))))
        .AddOrchestratorFunc<string, string>("RetryExhausted", async (ctx, key) =>
        {
            try
            {
                return await ctx.CallActivityAsync<string>("Flaky", key, TaskOptions.FromRetryPolicy(new RetryPolicy(2, TimeSpan.FromMilliseconds(50))));
            }
            catch (TaskFailedException e)
            {
                return $"gave up: {e.FailureDetails.ErrorMessage}";
            }
        })
        .AddOrchestratorFunc<CounterState, int>("Counter", (ctx, state) =>
        {
            // Each execution waits for one "add" event, then continues as new; events that arrive meanwhile carry over.
            return CountAsync(ctx, state!);
        })
        .AddOrchestratorFunc<string, string>("EchoLarge", async (ctx, text) => await ctx.CallActivityAsync<string>("Echo", text));

    private static async Task<int> CountAsync(TaskOrchestrationContext ctx, CounterState state)
    {
        var add = await ctx.WaitForExternalEvent<int>("add");
        var next = state with { Total = state.Total + add, Seen = state.Seen + 1 };
        if (next.Seen >= state.Expected)
        {
            return next.Total;
        }

        ctx.ContinueAsNew(next, preserveUnprocessedEvents: true);
        return -1;
    }
}
