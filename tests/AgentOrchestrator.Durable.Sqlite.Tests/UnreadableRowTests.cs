using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Sqlite.Tests;

/// <summary>
/// A row the worker cannot read (written by an incompatible version, or damaged) is poison: it is dead-lettered at
/// once, and neither blocks the queue behind it nor leaves its instance waiting forever.
/// </summary>
public sealed class UnreadableRowTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly SqliteTestDatabase _database = new();

    [Fact]
    public async Task TryLockActivity_UnreadableTask_DeadLetteredAndItsOrchestratorSeesPoisonFailure()
    {
        var store = await _database.CreateStoreAsync();
        await store.CreateInstanceAsync(new NewInstance("victim", "CallsAct", "e1", null, T0, T0), []);
        var item = (await store.TryLockOrchestrationAsync(new LockRequest("setup", T0, TimeSpan.FromSeconds(1))))!;
        await store.CommitOrchestrationAsync(item, new OrchestrationCheckpoint
        {
            NewEvents = [.. item.Messages.Select(m => m.Event), new TaskScheduled("Act", "1") { EventId = 0, Timestamp = T0 }],
            ConsumedMessageIds = [.. item.Messages.Select(m => m.Id)],
            Instance = new InstanceUpdate("e1", OrchestrationRuntimeStatus.Running, null, null, null, null, T0, null),
            ActivityTasks = [new ActivityTask("victim:e1:task:0", "victim", "e1", 0, "Act", "1", T0)],
        });
        Execute("UPDATE activities SET task = '{\"id\": \"victim:e1:task:0\", \"taskId\": \"not a number\"' WHERE task_id = 'victim:e1:task:0'");

        await using var host = await DurableTestHost.StartAsync(store, Register);
        var other = await host.Client.ScheduleNewOrchestrationInstanceAsync("CallsAct");
        var victim = await host.WaitForCompletionAsync("victim");

        Assert.StartsWith("PoisonMessage: ", victim.ReadOutputAs<string>(), StringComparison.Ordinal);
        Assert.Equal("2", (await host.WaitForCompletionAsync(other)).ReadOutputAs<string>());
        var letter = Assert.Single(await host.Client.GetDeadLettersAsync("victim"));
        Assert.Equal(DeadLetterKind.Activity, letter.Kind);
        Assert.Contains("not a number", letter.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryLockOrchestration_UnreadableInboxMessage_DeadLetteredAndNoInstanceIsBlocked()
    {
        var store = await _database.CreateStoreAsync();
        var client = new DurableTaskClient(store, TimeProvider.System);
        var first = await client.ScheduleNewOrchestrationInstanceAsync("CallsAct");
        await client.RaiseEventAsync(first, "note", "hello", eventId: "n1");
        Execute($"UPDATE inbox SET message = '{{\"broken' WHERE message_id = '{first}:client:EventRaised:n1'");

        await using var host = await DurableTestHost.StartAsync(store, Register);
        var second = await host.Client.ScheduleNewOrchestrationInstanceAsync("CallsAct");

        Assert.Equal("2", (await host.WaitForCompletionAsync(second)).ReadOutputAs<string>());
        Assert.Equal("2", (await host.WaitForCompletionAsync(first)).ReadOutputAs<string>());
        var letter = Assert.Single(await host.Client.GetDeadLettersAsync(first));
        Assert.Equal((DeadLetterKind.Orchestration, "{\"broken"), (letter.Kind, letter.Payload));
    }

    public void Dispose() => _database.Dispose();

    private static void Register(DurableTaskRegistry registry) => registry
        .AddActivity<int, int>("Act", (_, x) => Task.FromResult(x * 2))
        .AddOrchestrator<string, string>("CallsAct", async (ctx, _) =>
        {
            try
            {
                return (await ctx.CallActivityAsync<int>("Act", 1)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (TaskFailedException e)
            {
                return $"{e.Failure.ErrorType}: {e.Failure.Message}";
            }
        });

    private void Execute(string sql)
    {
        using var connection = _database.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
