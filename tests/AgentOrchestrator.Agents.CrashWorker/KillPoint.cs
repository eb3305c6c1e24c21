namespace AgentOrchestrator.Agents.CrashWorker;

/// <summary>Where in its work a worker kills itself with SIGKILL.</summary>
internal enum KillPoint
{
    /// <summary>A tool attempt was handed to this worker (its <c>tool.started</c> is written), before the request is sent.</summary>
    Before,

    /// <summary>The request is on its way: killed a few milliseconds after sending it, whether or not the service answered.</summary>
    During,

    /// <summary>The service answered (the effect is done), before the worker records the answer.</summary>
    After,

    /// <summary>A compensation's service answered (the undo is done), before the worker records it: mid-rollback.</summary>
    Compensation,

    /// <summary>The model answered (its text streamed), before the worker records the answer.</summary>
    Model,
}
