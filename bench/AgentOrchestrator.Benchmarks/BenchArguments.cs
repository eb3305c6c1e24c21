using System.Globalization;

namespace AgentOrchestrator.Benchmarks;

/// <summary>The benchmark's command line: a scenario followed by --name value pairs.</summary>
public sealed record BenchArguments(string Scenario, IReadOnlyDictionary<string, string> Options)
{
    public static BenchArguments Parse(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected an option name at '{args[i]}'.");
            }

            options[args[i][2..]] = args[i + 1];
        }

        return new BenchArguments(args.Length > 0 ? args[0] : string.Empty, options);
    }

    public string Get(string name, string fallback) => Options.TryGetValue(name, out var value) ? value : fallback;

    public int GetInt(string name, int fallback) => Options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
