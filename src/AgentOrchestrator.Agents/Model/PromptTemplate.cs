using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// One version of a prompt template: text with <c>{{placeholders}}</c>. A session records <see cref="Name"/> and
/// <see cref="Version"/> when it starts and asks for that same version on every later turn, so editing a prompt means
/// adding a new version file, never changing an old one (<see cref="ContentHash"/> shows if someone did).
/// </summary>
public sealed partial class PromptTemplate
{
    /// <summary>Creates a template.</summary>
    /// <param name="name">The template name, e.g. <c>session-system</c>.</param>
    /// <param name="version">The version, 1 or more.</param>
    /// <param name="text">The template text.</param>
    public PromptTemplate(string name, int version, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentNullException.ThrowIfNull(text);
        Name = name;
        Version = version;
        Text = text;
        Placeholders = PlaceholderPattern().Matches(text).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal).ToList();
        ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>The template name.</summary>
    public string Name { get; }

    /// <summary>The version.</summary>
    public int Version { get; }

    /// <summary>The id to record with a session, e.g. <c>session-system.v1</c>.</summary>
    public string Id => $"{Name}.v{Version}";

    /// <summary>The raw text.</summary>
    public string Text { get; }

    /// <summary>The placeholder names the text uses, in order of first use.</summary>
    public IReadOnlyList<string> Placeholders { get; }

    /// <summary>The first 16 hex digits of the SHA-256 of the text.</summary>
    public string ContentHash { get; }

    /// <summary>The text with every <c>{{placeholder}}</c> replaced by its value.</summary>
    /// <param name="values">A value for every placeholder; extra values are ignored.</param>
    /// <exception cref="ArgumentException">A placeholder has no value.</exception>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var missing = Placeholders.Where(p => !values.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"Prompt template {Id} needs a value for {string.Join(", ", missing)}.", nameof(values));
        }

        return PlaceholderPattern().Replace(Text, m => values[m.Groups["name"].Value]);
    }

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderPattern();
}
