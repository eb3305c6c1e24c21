using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>
/// Loads the manifest folder when the host starts and, unless <see cref="AgentToolsOptions.WatchManifests"/>
/// is off, reloads it when files change. Bursts of file events are coalesced by
/// <see cref="AgentToolsOptions.ReloadDebounce"/>; a watcher error triggers a full rescan, so a missed event
/// never leaves a stale catalog for long.
/// </summary>
public sealed class ToolManifestWatcher : IHostedService, IDisposable
{
    private readonly ToolManifestLoader _loader;
    private readonly AgentToolsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly string? _folder;
    private readonly Lock _gate = new();
    private FileSystemWatcher? _watcher;
    private ITimer? _debounce;
    private bool _started;

    /// <summary>Creates the watcher.</summary>
    /// <param name="loader">Loads the folder into the registry.</param>
    /// <param name="options">Folder, watching and debounce settings.</param>
    /// <param name="timeProvider">Clock of the debounce timer.</param>
    /// <param name="environment">Resolves a relative folder against the content root, when available.</param>
    /// <param name="logger">Receives watcher problems.</param>
    public ToolManifestWatcher(
        ToolManifestLoader loader,
        IOptions<AgentToolsOptions> options,
        TimeProvider timeProvider,
        IHostEnvironment? environment = null,
        ILogger<ToolManifestWatcher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _loader = loader ?? throw new ArgumentNullException(nameof(loader));
        _options = options.Value;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _folder = _options.ResolveManifestsFolder(environment?.ContentRootPath);
    }

    /// <summary>The folder watched, or <see langword="null"/> when folder loading is off.</summary>
    public string? Folder => _folder;

    /// <summary>Loads the folder once and starts watching it.</summary>
    /// <param name="cancellationToken">Not used: the first load is quick and synchronous.</param>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_folder is null || _started)
            {
                return Task.CompletedTask;
            }

            _started = true;
        }

        ToolsLog.LoadingFolder(_logger, _folder);
        _loader.LoadFolder(_folder);
        if (_options.WatchManifests)
        {
            _watcher = new FileSystemWatcher(_folder, "*.json")
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => Schedule();
            _watcher.Created += (_, _) => Schedule();
            _watcher.Deleted += (_, _) => Schedule();
            _watcher.Renamed += (_, _) => Schedule();
            _watcher.Error += (_, e) =>
            {
                ToolsLog.WatcherFailed(_logger, _folder, e.GetException());
                Schedule();
            };
            _watcher.EnableRaisingEvents = true;
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops watching.</summary>
    /// <param name="cancellationToken">Not used.</param>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Stops watching and releases the watcher.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _watcher?.Dispose();
            _watcher = null;
            _debounce?.Dispose();
            _debounce = null;
        }
    }

    private void Schedule()
    {
        lock (_gate)
        {
            if (_watcher is null)
            {
                return;
            }

            _debounce ??= _timeProvider.CreateTimer(_ => Reload(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _debounce.Change(_options.ReloadDebounce, Timeout.InfiniteTimeSpan);
        }
    }

    private void Reload()
    {
        try
        {
            _loader.LoadFolder(_folder!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ToolsLog.ReloadFailed(_logger, _folder!, ex);
        }
    }
}
