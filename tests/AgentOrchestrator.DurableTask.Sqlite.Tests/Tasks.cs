using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.Exceptions;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>Adds one to its input.</summary>
internal sealed class Increment : TaskActivity<int, int>
{
    protected override int Execute(TaskContext context, int input) => input + 1;
}

/// <summary>Adds one to its input and records each run by instance and task id (to find a task run twice).</summary>
internal sealed class CountingIncrement : TaskActivity<int, int>
{
    public static readonly ConcurrentDictionary<string, int> Runs = new();

    protected override int Execute(TaskContext context, int input)
    {
        Runs.AddOrUpdate($"{context.OrchestrationInstance.InstanceId}:{context.TaskId}", 1, (_, n) => n + 1);
        return input + 1;
    }
}

/// <summary>A chain of <see cref="CountingIncrement"/>s.</summary>
internal sealed class CountingChain : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        var value = 0;
        for (var i = 0; i < input; i++)
        {
            value = await context.ScheduleTask<int>(typeof(CountingIncrement), value);
        }

        return value;
    }
}

/// <summary>Returns its input unchanged (large payloads).</summary>
internal sealed class Echo : TaskActivity<string, string>
{
    protected override string Execute(TaskContext context, string input) => input;
}

/// <summary>Throws <see cref="InvalidOperationException"/> with its input as the message.</summary>
internal sealed class Fail : TaskActivity<string, string>
{
    protected override string Execute(TaskContext context, string input) => throw new InvalidOperationException(input);
}

/// <summary>Signals that it started, then waits until the test opens its gate (named by its input); returns the input.</summary>
internal sealed class Gate : AsyncTaskActivity<string, string>
{
    private static readonly ConcurrentDictionary<string, (TaskCompletionSource Started, TaskCompletionSource Open)> Gates = new();
    private static readonly ConcurrentDictionary<string, int> RunCounts = new();

    public static Task Started(string name) => Get(name).Started.Task;

    public static int Runs(string name) => RunCounts.GetValueOrDefault(name);

    public static void Open(string name) => Get(name).Open.TrySetResult();

    protected override async Task<string> ExecuteAsync(TaskContext context, string input)
    {
        var gate = Get(input);
        RunCounts.AddOrUpdate(input, 1, (_, n) => n + 1);
        gate.Started.TrySetResult();
        await gate.Open.Task.WaitAsync(TestHub.Timeout);
        return input;
    }

    private static (TaskCompletionSource Started, TaskCompletionSource Open) Get(string name)
        => Gates.GetOrAdd(name, _ => (new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)));
}

/// <summary>Abandons itself (DurableTask.Core abandons an activity that throws <see cref="SessionAbortedException"/>); counts its deliveries.</summary>
internal sealed class AbandonAlways : TaskActivity<string, string>
{
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<long>> Deliveries = new();

    protected override string Execute(TaskContext context, string input)
    {
        Deliveries.GetOrAdd(input, _ => new()).Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
        throw new SessionAbortedException("abandoned by the test");
    }
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

/// <summary>A chain that counts how often its code starts running (replays) per instance.</summary>
internal sealed class CountedChain : TaskOrchestration<int, int>
{
    public static readonly ConcurrentDictionary<string, int> Runs = new();

    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        Runs.AddOrUpdate(context.OrchestrationInstance.InstanceId, 1, (_, n) => n + 1);
        var value = 0;
        for (var i = 0; i < input; i++)
        {
            value = await context.ScheduleTask<int>(typeof(Increment), value);
        }

        return value;
    }
}

/// <summary>Runs <c>input</c> <see cref="Increment"/>s at once and sums their results.</summary>
internal sealed class FanOut : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, input).Select(i => context.ScheduleTask<int>(typeof(Increment), i)));
        return results.Sum();
    }
}

/// <summary>Waits on a durable timer of <c>input</c> milliseconds, then returns "fired".</summary>
internal sealed class Sleeper : TaskOrchestration<string, int>
{
    public override async Task<string> RunTask(OrchestrationContext context, int input)
        => await context.CreateTimer(context.CurrentUtcDateTime.AddMilliseconds(input), "fired");
}

/// <summary>
/// Waits for the event "go" and returns its data. With an input naming a <see cref="Gate"/>, runs that activity first, so
/// the event can be raised before the orchestration waits for it. Counts how often its code starts running per instance.
/// </summary>
internal sealed class EventWaiter : TaskOrchestration<string, string>
{
    public static readonly ConcurrentDictionary<string, int> Runs = new();
    private readonly TaskCompletionSource<string> _go = new();

    public override async Task<string> RunTask(OrchestrationContext context, string input)
    {
        Runs.AddOrUpdate(context.OrchestrationInstance.InstanceId, 1, (_, n) => n + 1);
        if (!string.IsNullOrEmpty(input))
        {
            await context.ScheduleTask<string>(typeof(Gate), input);
        }

        return await _go.Task;
    }

    public override void OnEvent(OrchestrationContext context, string name, string input)
    {
        if (name == "go")
        {
            _go.TrySetResult(input);
        }
    }
}

/// <summary>
/// Adds up "inc" events, continuing as new after each episode that received some, until the total reaches 10. Events that
/// arrive while it continues as new are carried over by DurableTask.Core or wait in the inbox.
/// </summary>
internal sealed class Counter : TaskOrchestration<int, int>
{
    public const int Target = 10;
    private readonly TaskCompletionSource _received = new();
    private int _total;

    public override async Task<int> RunTask(OrchestrationContext context, int input)
    {
        _total += input;
        if (_total >= Target)
        {
            return _total;
        }

        await _received.Task;
        if (_total >= Target)
        {
            return _total;
        }

        context.ContinueAsNew(_total);
        return _total;
    }

    public override void OnEvent(OrchestrationContext context, string name, string input)
    {
        _total += int.Parse(input, System.Globalization.CultureInfo.InvariantCulture);
        _received.TrySetResult();
    }
}

/// <summary>Calls <see cref="Chain"/> as a sub-orchestration (instance "{id}:child") and adds one to its result.</summary>
internal sealed class Parent : TaskOrchestration<int, int>
{
    public override async Task<int> RunTask(OrchestrationContext context, int input)
        => 1 + await context.CreateSubOrchestrationInstance<int>(typeof(Chain), $"{context.OrchestrationInstance.InstanceId}:child", input);
}

/// <summary>Calls <see cref="FailingChild"/> and returns how it failed.</summary>
internal sealed class CatchingParent : TaskOrchestration<string, string>
{
    public override async Task<string> RunTask(OrchestrationContext context, string input)
    {
        try
        {
            return await context.CreateSubOrchestrationInstance<string>(typeof(FailingChild), input);
        }
        catch (SubOrchestrationFailedException e)
        {
            return $"{e.FailureDetails?.ErrorType}|{e.FailureDetails?.ErrorMessage}";
        }
    }
}

/// <summary>Calls <see cref="Fail"/> and lets it fail.</summary>
internal sealed class FailingChild : TaskOrchestration<string, string>
{
    public override async Task<string> RunTask(OrchestrationContext context, string input) => await context.ScheduleTask<string>(typeof(Fail), input);
}

/// <summary>Calls an activity named by its input and returns how it failed (or its result).</summary>
internal sealed class CatchingCaller : TaskOrchestration<string, string>
{
    public override async Task<string> RunTask(OrchestrationContext context, string input)
    {
        try
        {
            return await context.ScheduleTask<string>(input.Split('|')[0], string.Empty, input.Split('|')[1]);
        }
        catch (TaskFailedException e)
        {
            return $"{e.FailureDetails?.ErrorType}|{e.FailureDetails?.ErrorMessage}|{e.FailureDetails?.IsNonRetriable}";
        }
    }
}

/// <summary>Echoes its input through <see cref="Echo"/> (large payloads).</summary>
internal sealed class EchoTwice : TaskOrchestration<string, string>
{
    public override async Task<string> RunTask(OrchestrationContext context, string input)
        => await context.ScheduleTask<string>(typeof(Echo), await context.ScheduleTask<string>(typeof(Echo), input));
}

/// <summary>Starts an <see cref="EventWaiter"/> as a sub-orchestration with the instance id it is given; returns how that went.</summary>
internal sealed class ParentOfNamedChild : TaskOrchestration<string, string>
{
    public override async Task<string> RunTask(OrchestrationContext context, string input)
    {
        try
        {
            return await context.CreateSubOrchestrationInstance<string>(typeof(EventWaiter), input, string.Empty);
        }
        catch (SubOrchestrationFailedException e)
        {
            return e.FailureDetails?.ErrorType ?? e.Message;
        }
    }
}
