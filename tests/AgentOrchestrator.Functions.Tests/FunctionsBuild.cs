using System.Reflection;
using System.Text.Json;

namespace AgentOrchestrator.Functions.Tests;

/// <summary>The Functions app's build output and the functions its <c>functions.metadata</c> lists.</summary>
internal static class FunctionsBuild
{
    public static string Output { get; } = Metadata("FunctionsOutput");

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    /// <summary>The functions the worker SDK found at build time: name, trigger binding and the other bindings.</summary>
    public static IReadOnlyList<BuiltFunction> Functions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "functions.metadata")));
        return [.. document.RootElement.EnumerateArray().Select(f => new BuiltFunction(
            f.GetProperty("name").GetString()!,
            f.GetProperty("entryPoint").GetString()!,
            [.. f.GetProperty("bindings").EnumerateArray().Select(b => b.Clone())]))];
    }

    /// <summary>A setting of a host.json: the Functions app's (beside its binaries) or the repository's.</summary>
    public static JsonElement HostJson(string folder, params string[] path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "host.json")));
        var element = document.RootElement;
        foreach (var name in path)
        {
            element = element.GetProperty(name);
        }

        return element.Clone();
    }

    private static string Metadata(string key) => typeof(FunctionsBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}

/// <summary>One function of <c>functions.metadata</c>.</summary>
internal sealed record BuiltFunction(string Name, string EntryPoint, IReadOnlyList<JsonElement> Bindings)
{
    public JsonElement Trigger => Bindings.Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

    public string TriggerType => Trigger.GetProperty("type").GetString()!;

    public string? Route => Trigger.TryGetProperty("route", out var route) ? route.GetString() : null;

    public IReadOnlyList<string> Methods => Trigger.TryGetProperty("methods", out var methods)
        ? [.. methods.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())]
        : [];

    public bool Has(string bindingType) => Bindings.Any(b => b.GetProperty("type").GetString() == bindingType);
}
