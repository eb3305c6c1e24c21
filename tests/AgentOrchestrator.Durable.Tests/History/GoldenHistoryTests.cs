using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Orchestration;
using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.History;

/// <summary>
/// Histories recorded from real runs and checked in (Histories/*.json) must keep replaying with the current
/// orchestrator code and event shapes. See Histories/README.md for when and how to regenerate them.
/// </summary>
public sealed class GoldenHistoryTests
{
    private const string RecordVariable = "AGENTORCH_RECORD_HISTORIES";

    public static TheoryData<string> Files => [.. GoldenScenarios.All.Select(s => s.File)];

    [Theory]
    [MemberData(nameof(Files))]
    public void Replay_CheckedInHistory_ReproducesRecordedOutcomeWithNoNewAction(string file)
    {
        var scenario = GoldenScenarios.All.Single(s => s.File == file);
        var history = HistorySerializer.DeserializeHistory(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Histories", file)));
        var recorded = Assert.IsType<ExecutionCompleted>(history[^1]);
        var registry = new DurableTaskRegistry();
        GoldenScenarios.Register(registry);
        var executor = new OrchestrationExecutor(scenario.InstanceId, registry.FindOrchestrator);

        // Without its terminal event, the outcome can only come from the code running to its end over the history.
        executor.Replay(history.Take(history.Count - 1));
        executor.BeginEpisode(recorded.Timestamp);
        var episode = executor.EndEpisode();

        var outcome = Assert.IsType<ExecutionOutcome.Completed>(executor.Outcome);
        Assert.Empty(episode.NewActions);
        Assert.Equal(scenario.ExpectedOutput, outcome.Output);
        Assert.Equal(recorded.Result, outcome.Output);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Deserialize_CheckedInHistory_SerializesBackToTheSameJson(string file)
    {
        var events = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Histories", file)))!.AsArray();

        Assert.NotEmpty(events);
        foreach (var node in events)
        {
            var again = JsonNode.Parse(HistorySerializer.Serialize(HistorySerializer.Deserialize(node!.ToJsonString())));
            Assert.True(JsonNode.DeepEquals(node, again), $"{file}: the event shape changed.\nchecked in: {node.ToJsonString()}\nnow:        {again!.ToJsonString()}");
        }
    }

    /// <summary>
    /// Runs the scenarios for real and checks that they still produce the checked-in event sequences. With
    /// AGENTORCH_RECORD_HISTORIES=1 it rewrites the files in the source tree instead.
    /// </summary>
    [Fact]
    public async Task Record_RealRunOfEachScenario_ProducesCheckedInEventSequence()
    {
        var clock = TestClock.Create();
        await using var host = await DurableTestHost.StartAsync(new InMemoryDurableStore(), GoldenScenarios.Register, clock);
        foreach (var scenario in GoldenScenarios.All)
        {
            await scenario.Drive(host, clock);
        }

        var record = Environment.GetEnvironmentVariable(RecordVariable) == "1";
        foreach (var scenario in GoldenScenarios.All)
        {
            Assert.Equal(OrchestrationRuntimeStatus.Completed, (await host.WaitForCompletionAsync(scenario.InstanceId)).RuntimeStatus);
            var history = (await host.Client.GetHistoryAsync(scenario.InstanceId)).Select(WithoutStackTrace).ToList();
            if (record)
            {
                await File.WriteAllTextAsync(Path.Combine(SourceFolder(), "Histories", scenario.File), HistorySerializer.SerializeHistory(history) + "\n");
                continue;
            }

            var checkedIn = HistorySerializer.DeserializeHistory(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Histories", scenario.File)));
            Assert.Equal(checkedIn.Select(Signature), history.Select(Signature));
        }
    }

    private static string Signature(HistoryEvent e) => $"{e.Kind}#{e.EventId}";

    /// <summary>Stack traces name the recording machine's paths and change with every edit; the files keep the rest.</summary>
    private static HistoryEvent WithoutStackTrace(HistoryEvent e) => e switch
    {
        TaskFailed f => f with { Failure = f.Failure with { StackTrace = null } },
        SubOrchestrationFailed f => f with { Failure = f.Failure with { StackTrace = null } },
        ExecutionFailed f => f with { Failure = f.Failure with { StackTrace = null } },
        _ => e,
    };

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
