namespace AgentOrchestrator.Host;

/// <summary>Finds the folder the host runs from: the nearest one with a <c>host.json</c>.</summary>
public static class ContentRoot
{
    /// <summary>
    /// The current directory or its nearest ancestor that holds <c>host.json</c> (so <c>dotnet run --project
    /// src/AgentOrchestrator.Host</c> from the repository uses the repository's host.json, manifests and data folder),
    /// else the same search from the executable's folder, else the current directory.
    /// </summary>
    public static string Locate()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "host.json")))
                {
                    return folder.FullName;
                }
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
