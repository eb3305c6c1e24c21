using System.Globalization;
using DurableTask.Core;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.DurableTask.CrashWorker;

/// <summary>
/// The crash worker's command line: <c>--ledger &lt;file&gt;</c> and either <c>--db &lt;file&gt; [--kill-after-steps K]</c>
/// (the SQLite service) or <c>--azure &lt;connection string&gt; --hub &lt;name&gt;</c> (DurableTask.AzureStorage).
/// </summary>
public sealed record WorkerOptions
{
    /// <summary>The ledger file the steps record their runs in.</summary>
    public required string Ledger { get; init; }

    /// <summary>The SQLite file, when the worker runs on the SQLite service.</summary>
    public string? Database { get; init; }

    /// <summary>The Azure Storage connection string, when the worker runs on DurableTask.AzureStorage.</summary>
    public string? AzureConnectionString { get; init; }

    /// <summary>The Azure task hub.</summary>
    public string? HubName { get; init; }

    /// <summary>SQLite only: the worker kills itself inside its first commit that writes rows once this many steps finished; null (default) never.</summary>
    public int? KillAfterSteps { get; init; }

    /// <summary>Reads the command line; throws <see cref="ArgumentException"/> naming what is missing.</summary>
    public static WorkerOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        var options = new WorkerOptions
        {
            Ledger = values.GetValueOrDefault("--ledger") ?? throw new ArgumentException("--ledger <file> is required."),
            Database = values.GetValueOrDefault("--db"),
            AzureConnectionString = values.GetValueOrDefault("--azure"),
            HubName = values.GetValueOrDefault("--hub"),
            KillAfterSteps = values.TryGetValue("--kill-after-steps", out var k) ? int.Parse(k, CultureInfo.InvariantCulture) : null,
        };
        if ((options.Database is null) == (options.AzureConnectionString is null) || (options.AzureConnectionString is not null && options.HubName is null))
        {
            throw new ArgumentException("Give either --db <file> or --azure <connection string> --hub <name>.");
        }

        return options;
    }

    /// <summary>This command line, for starting the worker.</summary>
    public string[] ToArguments()
    {
        List<string> args = ["--ledger", Ledger];
        if (Database is not null)
        {
            args.AddRange(["--db", Database]);
        }

        if (AzureConnectionString is not null)
        {
            args.AddRange(["--azure", AzureConnectionString, "--hub", HubName!]);
        }

        if (KillAfterSteps is { } steps)
        {
            args.AddRange(["--kill-after-steps", steps.ToString(CultureInfo.InvariantCulture)]);
        }

        return [.. args];
    }

    /// <summary>The orchestration service these options name.</summary>
    public IOrchestrationService CreateService(ILoggerFactory loggerFactory)
        => Database is not null
            ? CrashStores.Sqlite(Database, loggerFactory, KillAfterSteps is { } steps ? new CommitKiller(steps).Install : null)
            : CrashStores.AzureStorage(AzureConnectionString!, HubName!, loggerFactory);
}
