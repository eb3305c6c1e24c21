using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Host.Tests;

/// <summary>
/// A declined card payment end to end (the README's walk-through): the full card number must not reach anything support
/// staff or the logs can see.
/// </summary>
public sealed class PrivacyTests
{
    private const string Card = "4000000000000002";

    // The README's request, and the same card after a line break and in quotes: JSON writes those as \n and \u0027, so
    // in the raw history the number sits right after an escape.
    private static readonly string[] Orders =
    [
        $"Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card {Card}",
        $"Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with this card:\n{Card}",
        $"Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card '{Card}'",
    ];

    [Fact]
    public async Task DeclinedCard_EveryStaffViewAndLogLine_ShowNoFullCardNumber()
    {
        var logs = new LogCapture();
        await using var host = await HostFixture.StartAsync(
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace" },
            configure: builder => builder.Logging.ClearProviders().AddProvider(logs));
        using var client = host.Client(HostFixture.ClientA);
        using var admin = host.Client(HostFixture.Admin);

        var ids = new List<string>();
        foreach (var order in Orders)
        {
            using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = order });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
            var events = await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");
            Assert.Contains(events, e => e.Kind == "tool.failed" && e.Data.Contains("card_declined", StringComparison.Ordinal));
            ids.Add(id);
        }

        // A frontend that puts what the user typed into a query string: the request log line names the whole URL.
        using (await client.GetAsync($"/v1/sessions/{ids[0]}?lookup={Card}"))
        {
        }

        var shown = new Dictionary<string, string> { ["GET /admin/sessions"] = await admin.GetStringAsync("/admin/sessions") };
        foreach (var id in ids)
        {
            foreach (var path in new[] { $"/admin/sessions/{id}", $"/admin/sessions/{id}/events", $"/admin/sessions/{id}/history", $"/v1/sessions/{id}" })
            {
                shown["GET " + path] = await admin.GetStringAsync(path);
            }
        }

        shown["GET /admin/dead-letters"] = await admin.GetStringAsync("/admin/dead-letters");
        shown["logs"] = string.Join("\n", logs.Lines);

        var leaks = shown.Where(v => v.Value.Contains(Card, StringComparison.Ordinal))
            .Select(v => $"{v.Key}: …{Around(v.Value, Card)}…")
            .ToList();
        Assert.True(leaks.Count == 0, "The full card number is shown in:\n" + string.Join("\n", leaks));

        // The views did show the payment (masked), so the search looked at the right things.
        Assert.All(ids, id => Assert.Contains("••••0002", shown[$"GET /admin/sessions/{id}/history"], StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains(ids[0], StringComparison.Ordinal));
    }

    private static string Around(string text, string value)
    {
        var at = text.IndexOf(value, StringComparison.Ordinal);
        var start = Math.Max(0, at - 80);
        return text[start..Math.Min(text.Length, at + value.Length + 20)].ReplaceLineEndings(" ");
    }
}
