using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>A logger that keeps what it is told, and lets a test wait for a given event.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(EventId Id, string Message)> _entries = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _waiters = new();

    /// <summary>Everything logged so far.</summary>
    public IReadOnlyList<(EventId Id, string Message)> Entries => [.. _entries];

    /// <summary>How many times the event with <paramref name="eventId"/> was logged.</summary>
    public int Count(int eventId) => _entries.Count(e => e.Id.Id == eventId);

    /// <summary>Completes when the event with <paramref name="eventId"/> is logged (at once if it was).</summary>
    public Task Logged(int eventId)
    {
        var waiter = _waiters.GetOrAdd(eventId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (Count(eventId) > 0)
        {
            waiter.TrySetResult();
        }

        return waiter.Task;
    }

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        _entries.Enqueue((eventId, formatter(state, exception)));
        if (_waiters.TryGetValue(eventId.Id, out var waiter))
        {
            waiter.TrySetResult();
        }
    }
}
