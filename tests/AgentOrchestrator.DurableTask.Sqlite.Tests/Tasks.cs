using DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>Adds one to its input.</summary>
internal sealed class Increment : TaskActivity<int, int>
{
    protected override int Execute(TaskContext context, int input) => input + 1;
}

/// <summary>Returns its input unchanged (large payloads).</summary>
internal sealed class Echo : TaskActivity<string, string>
{
    protected override string Execute(TaskContext context, string input) => input;
}

/// <summary>Runs <see cref="Increment"/> <c>input</c> times in sequence; returns the count.</summary>
internal sealed class Chain : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        var value = 0;
        for (var i = 0; i < input; i++)
        {
            value = await context.ScheduleTask<int>(typeof(Increment), value);
        }

        return value;
    }
}
