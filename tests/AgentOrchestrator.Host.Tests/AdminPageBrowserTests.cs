using System.Text.RegularExpressions;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AgentOrchestrator.Host.Tests;

/// <summary>
/// The support page in a real headless Chromium (Debian's, installed by <c>scripts/chromium.sh ensure</c>; never a
/// Playwright download): a payment is declined, the rollback cannot void the invoice (an injected fault on the first
/// void), the chain is parked, and staff find the session, read its timeline and retry the rollback from the page.
/// </summary>
[Trait("Category", "Browser")]
public sealed class AdminPageBrowserTests
{
    private const string DeclinedOrder = "Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card 4000000000000002";

    private static readonly string[] BrowserArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    [Fact]
    public async Task AdminPage_ParkedRollback_ListsTimelineAndRetryClearsIt()
    {
        await using var host = await HostFixture.StartAsync(new Dictionary<string, string?>
        {
            ["SampleServices:Billing:Faults:0:Operation"] = "void_invoice",
            ["SampleServices:Billing:Faults:0:FailOnCalls:0"] = "1",
            ["SampleServices:Billing:Faults:0:StatusCode"] = "422",
        });
        using var client = host.Client(HostFixture.ClientA);
        using var created = await client.PostAsJsonAsync("/v1/sessions", new { message = DeclinedOrder });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        await Sse.ReadAsync(client, $"/v1/sessions/{id}/events?stopAfter=turn.completed");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });
        page.SetDefaultTimeout(30_000);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(new Uri(host.Address, "/admin").ToString());
        await page.GetByTestId("key").FillAsync(HostFixture.Admin);
        await page.GetByTestId("use-key").ClickAsync();
        await page.GetByTestId("filter-attention").CheckAsync();
        var row = page.Locator($"tr[data-session='{id}']");
        await Expect(row).ToContainTextAsync("needs attention");
        await row.GetByRole(AriaRole.Link).ClickAsync();

        await Expect(page.GetByTestId("session-title")).ToHaveTextAsync(id);
        await Expect(page.Locator("[data-kind='chain.parked']")).ToBeVisibleAsync();
        var timeline = page.GetByTestId("timeline");
        await Expect(timeline.Locator("[data-kind='tool.failed']")).ToContainTextAsync("card_declined");
        await Expect(timeline.Locator("[data-kind='compensation.failed']")).ToContainTextAsync("billing_void_invoice");
        await Expect(timeline.Locator("[data-kind='model.completed']").First).ToContainTextAsync("tokens");
        await Expect(timeline).ToContainTextAsync(new Regex($"{id}:1:call_\\w+:compensate"));
        var shown = await timeline.InnerTextAsync();
        Assert.DoesNotContain("4000000000000002", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("ada@example.com", shown, StringComparison.Ordinal);
        await Expect(page.GetByTestId("parked")).ToContainTextAsync("billing_void_invoice");
        await SaveScreenshotAsync(page);

        await page.GetByTestId("chain-retry").ClickAsync();

        await Expect(timeline.Locator("[data-kind='chain.resolved']")).ToBeVisibleAsync();
        await Expect(timeline.Locator("[data-kind='compensation.completed']")).ToHaveCountAsync(2);
        await Expect(page.GetByTestId("parked")).ToBeEmptyAsync();
        await Expect(page.Locator("[data-field='Needs attention']")).ToHaveTextAsync("no");
        await page.GetByTestId("load-history").ClickAsync();
        await Expect(page.GetByTestId("history")).ToContainTextAsync("ExecutionStarted");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task AdminPage_WithoutKeyOrWithARefusedOne_AsksForAKeyAndShowsNoActions()
    {
        await using var host = await HostFixture.StartAsync();
        using var client = host.Client(HostFixture.ClientA);
        using var created = await client.PostAsJsonAsync("/v1/sessions", new { });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sessionId").GetString()!;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        // A fresh tab on a session's address: only the key prompt, no list, no buttons that would act on nothing.
        await page.GotoAsync(new Uri(host.Address, $"/admin/#/sessions/{id}").ToString());
        await Expect(page.GetByTestId("key-needed")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("key-needed")).ToContainTextAsync("admin key");
        await Expect(page.GetByTestId("key")).ToBeFocusedAsync();
        await AssertNothingToActOnAsync(page);

        // A client key is refused by the admin API: the page says so and still shows nothing to act on.
        await page.GetByTestId("key").FillAsync(HostFixture.ClientA);
        await page.GetByTestId("use-key").ClickAsync();
        await Expect(page.GetByTestId("key-needed")).ToContainTextAsync("403");
        await AssertNothingToActOnAsync(page);

        await page.GetByTestId("key").FillAsync(HostFixture.Admin);
        await page.GetByTestId("use-key").ClickAsync();
        await Expect(page.GetByTestId("session-title")).ToHaveTextAsync(id);
        await Expect(page.GetByTestId("op-terminate")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("key-needed")).ToBeHiddenAsync();
        Assert.Empty(errors);
    }

    private static async Task AssertNothingToActOnAsync(IPage page)
    {
        foreach (var testId in new[] { "sessions", "filter-status", "session-title", "op-suspend", "op-terminate", "op-purge", "load-history", "dead-letters", "tools" })
        {
            await Expect(page.GetByTestId(testId)).ToBeHiddenAsync();
        }
    }

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
        Headless = true,
        Args = BrowserArgs,
    });

    // Set AO_SCREENSHOT_PATH (e.g. docs/images/timeline.png) to refresh the README's picture from this test.
    private static async Task SaveScreenshotAsync(IPage page)
    {
        var path = Environment.GetEnvironmentVariable("AO_SCREENSHOT_PATH") ?? Path.Combine(AppContext.BaseDirectory, "timeline.png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
    }
}
