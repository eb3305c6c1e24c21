using Microsoft.DurableTask;

namespace AgentOrchestrator.DurableTask.CrashWorker;

/// <summary>
/// The crash workload, written against the Durable Task SDK: <c>CrashChain</c> runs a chain of <c>Step</c> activities, each
/// doubling the previous step's value; every <c>Step</c> records <c>started</c> and, after its delay, <c>finished</c> in the
/// <see cref="Ledger"/> before it returns, so a test can count how often each step really ran.
/// </summary>
public static class CrashTasks
{
    /// <summary>The orchestrator's name.</summary>
    public const string Chain = "CrashChain";

    /// <summary>The activity's name.</summary>
    public const string Step = "Step";

    private static int _finishedSteps;

    /// <summary>How many steps finished in this process (recorded <c>finished</c> in the ledger).</summary>
    public static int FinishedSteps => Volatile.Read(ref _finishedSteps);

    /// <summary>Registers the orchestrator and the activity; the activity records its runs in <paramref name="ledger"/>.</summary>
    public static void Register(DurableTaskRegistry registry, Ledger ledger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(ledger);
        registry
            .AddActivityFunc<StepInput, int>(Step, async (context, input) =>
            {
                ledger.Record(context.InstanceId, input.Step, Ledger.Started);
                await Task.Delay(TimeSpan.FromMilliseconds(input.DelayMs), TimeProvider.System);
                ledger.Record(context.InstanceId, input.Step, Ledger.Finished);
                Interlocked.Increment(ref _finishedSteps);
                return Next(input.Value);
            })
            .AddOrchestratorFunc<ChainInput, int>(Chain, async (context, input) =>
            {
                var value = 1;
                for (var step = 0; step < input.Steps; step++)
                {
                    value = await context.CallActivityAsync<int>(Step, new StepInput(step, value, input.DelayMs));
                }

                return value;
            });
    }

    /// <summary>The output a chain of <paramref name="steps"/> steps completes with, however often its steps ran.</summary>
    public static int ExpectedOutput(int steps)
    {
        var value = 1;
        for (var step = 0; step < steps; step++)
        {
            value = Next(value);
        }

        return value;
    }

    private static int Next(int value) => value * 2 % 1_000_003;
}
