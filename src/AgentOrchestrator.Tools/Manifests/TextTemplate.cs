using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace AgentOrchestrator.Tools.Manifests;

/// <summary>A manifest text with <c>{name}</c> placeholders, split into literal text and placeholder names.</summary>
internal sealed class TextTemplate
{
    private TextTemplate(IReadOnlyList<(bool IsPlaceholder, string Text)> parts) => Parts = parts;

    public IReadOnlyList<(bool IsPlaceholder, string Text)> Parts { get; }

    public IEnumerable<string> Placeholders => Parts.Where(p => p.IsPlaceholder).Select(p => p.Text);

    public static bool TryParse(string text, [NotNullWhen(true)] out TextTemplate? template, [NotNullWhen(false)] out string? error)
    {
        var parts = new List<(bool, string)>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '}')
            {
                template = null;
                error = $"has an unmatched '}}' at position {i}";
                return false;
            }

            if (text[i] != '{')
            {
                literal.Append(text[i]);
                continue;
            }

            var end = text.IndexOf('}', i + 1);
            var nested = text.IndexOf('{', i + 1);
            if (end < 0 || (nested >= 0 && nested < end))
            {
                template = null;
                error = $"has an unmatched '{{' at position {i}";
                return false;
            }

            var name = text[(i + 1)..end];
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                template = null;
                error = $"has an invalid placeholder '{{{name}}}'";
                return false;
            }

            if (literal.Length > 0)
            {
                parts.Add((false, literal.ToString()));
                literal.Clear();
            }

            parts.Add((true, name));
            i = end;
        }

        if (literal.Length > 0)
        {
            parts.Add((false, literal.ToString()));
        }

        template = new TextTemplate(parts);
        error = null;
        return true;
    }

    /// <summary>Fills the placeholders; returns null when <paramref name="resolve"/> has no value for one.</summary>
    public string? Expand(Func<string, string?> resolve)
    {
        var text = new StringBuilder();
        foreach (var (isPlaceholder, part) in Parts)
        {
            if (!isPlaceholder)
            {
                text.Append(part);
                continue;
            }

            var value = resolve(part);
            if (value is null)
            {
                return null;
            }

            text.Append(value);
        }

        return text.ToString();
    }
}
