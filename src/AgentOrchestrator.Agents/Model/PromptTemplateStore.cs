using System.Globalization;
using System.Text.RegularExpressions;

namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// The prompt templates in a folder, one file per version, named <c>{name}.v{version}.md</c>
/// (e.g. <c>prompts/session-system.v1.md</c>). Read once when created.
/// </summary>
public sealed partial class PromptTemplateStore
{
    private readonly Dictionary<(string Name, int Version), PromptTemplate> _templates = [];

    /// <summary>Loads every template file in <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder of template files.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public PromptTemplateStore(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Prompt template folder '{Path.GetFullPath(folder)}' does not exist.");
        }

        Folder = folder;
        foreach (var file in Directory.EnumerateFiles(folder, "*.md"))
        {
            var match = FileNamePattern().Match(Path.GetFileName(file));
            if (match.Success)
            {
                var name = match.Groups["name"].Value;
                var version = int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture);
                _templates[(name, version)] = new PromptTemplate(name, version, File.ReadAllText(file));
            }
        }
    }

    /// <summary>The folder the templates came from.</summary>
    public string Folder { get; }

    /// <summary>Every template, by name then version.</summary>
    public IReadOnlyList<PromptTemplate> All =>
        _templates.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Version).ToList();

    /// <summary>One version of a template, e.g. the one a session recorded when it started.</summary>
    /// <param name="name">The template name.</param>
    /// <param name="version">The version.</param>
    /// <exception cref="KeyNotFoundException">No such file; the message lists the versions there are.</exception>
    public PromptTemplate Get(string name, int version) =>
        _templates.TryGetValue((name, version), out var template)
            ? template
            : throw new KeyNotFoundException($"No prompt template {name}.v{version} in '{Folder}'. Available: {Versions(name)}.");

    /// <summary>The newest version of a template: what a new session starts with.</summary>
    /// <param name="name">The template name.</param>
    /// <exception cref="KeyNotFoundException">No version of the template exists.</exception>
    public PromptTemplate GetLatest(string name) =>
        _templates.Values.Where(t => t.Name == name).MaxBy(t => t.Version)
        ?? throw new KeyNotFoundException($"No prompt template named {name} in '{Folder}'.");

    /// <summary>A template by its recorded id, e.g. <c>session-system.v1</c>.</summary>
    /// <param name="id">The id, as <see cref="PromptTemplate.Id"/> gives it.</param>
    /// <exception cref="KeyNotFoundException">The id is malformed or names no file.</exception>
    public PromptTemplate GetById(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var match = IdPattern().Match(id);
        return match.Success
            ? Get(match.Groups["name"].Value, int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture))
            : throw new KeyNotFoundException($"'{id}' is not a prompt template id like session-system.v1.");
    }

    private string Versions(string name)
    {
        var versions = _templates.Keys.Where(k => k.Name == name).Select(k => k.Version).Order().ToList();
        return versions.Count == 0 ? "none" : string.Join(", ", versions.Select(v => $"{name}.v{v}"));
    }

    [GeneratedRegex(@"^(?<name>[a-z0-9][a-z0-9-]*)\.v(?<version>[1-9][0-9]{0,5})\.md$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"^(?<name>[a-z0-9][a-z0-9-]*)\.v(?<version>[1-9][0-9]{0,5})$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
