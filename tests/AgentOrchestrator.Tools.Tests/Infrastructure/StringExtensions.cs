namespace AgentOrchestrator.Tools.Tests.Infrastructure;

internal static class StringExtensions
{
    /// <summary>Replaces the first occurrence only, and fails the test when there is none.</summary>
    public static string ReplaceFirst(this string text, string original, string replacement)
    {
        var index = text.IndexOf(original, StringComparison.Ordinal);
        Assert.True(index >= 0, $"The text does not contain: {original}");
        return string.Concat(text.AsSpan(0, index), replacement, text.AsSpan(index + original.Length));
    }
}
