using AgentOrchestrator.SampleServices.Tests.Infrastructure;

namespace AgentOrchestrator.SampleServices.Tests;

public sealed class FaultInjectionAndAuthTests
{
    [Fact]
    public async Task GetContact_FailOnSecondCall_FailsExactlyTheSecondCall()
    {
        await using var host = await SampleServicesHost.StartAsync(o =>
        {
            var rule = new FaultRule { Operation = "find_contacts" };
            rule.FailOnCalls.Add(2);
            o.Crm.Faults.Add(rule);
        });

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await host.Client.GetAsync("/crm/contacts?name=ada");
            statuses.Add((int)response.StatusCode);
        }

        Assert.Equal([200, 503, 200], statuses);
    }

    [Fact]
    public async Task FailureRate_WithSeed_FailsTheSameCallsOnEveryRun()
    {
        async Task<List<int>> RunAsync()
        {
            await using var host = await SampleServicesHost.StartAsync(o => o.Crm.Faults.Add(new FaultRule { FailureRate = 0.5, Seed = 42 }));
            var statuses = new List<int>();
            for (var i = 0; i < 12; i++)
            {
                using var response = await host.Client.GetAsync("/crm/contacts?name=ada");
                statuses.Add((int)response.StatusCode);
            }

            return statuses;
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains(503, first);
        Assert.Contains(200, first);
    }

    [Fact]
    public async Task Billing_ApiKeyConfigured_RefusesRequestsWithoutTheBearerKey()
    {
        await using var host = await SampleServicesHost.StartAsync(o => o.Billing.ApiKey = "billing-test-key");

        using var stranger = new HttpClient { BaseAddress = host.BaseAddress };
        using var anonymous = await stranger.GetAsync("/billing/payments?invoiceId=in_x");
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/billing/payments?invoiceId=in_x");
        wrongKey.Headers.Authorization = new("Bearer", "guessed-key");
        using var guessed = await stranger.SendAsync(wrongKey);
        using var authorised = await host.Client.GetAsync("/billing/payments?invoiceId=in_x");

        Assert.Equal(401, (int)anonymous.StatusCode);
        Assert.Equal(401, (int)guessed.StatusCode);
        Assert.Equal(200, (int)authorised.StatusCode);
    }

    [Fact]
    public async Task ChargePayment_FaultsAndKeyFromConfiguration_FailTheConfiguredCallAndRequireTheKey()
    {
        await using var host = await SampleServicesHost.StartFromConfigurationAsync(new Dictionary<string, string?>
        {
            ["SampleServices:Billing:ApiKey"] = "configured-key",
            ["SampleServices:Billing:Faults:0:Operation"] = "create_invoice",
            ["SampleServices:Billing:Faults:0:FailOnCalls:0"] = "1",
            ["SampleServices:Billing:Faults:0:StatusCode"] = "500",
        });
        var body = """{ "contactId": "ct_1", "amount": 10, "currency": "EUR", "description": "Plan" }""";

        using var first = await host.PostAsync("/billing/invoices", body, "inv-1");
        using var second = await host.PostAsync("/billing/invoices", body, "inv-1");
        using var stranger = new HttpClient { BaseAddress = host.BaseAddress };
        using var anonymous = await stranger.GetAsync("/billing/payments?invoiceId=in_x");

        Assert.Equal(500, (int)first.StatusCode);
        Assert.Equal(201, (int)second.StatusCode);
        Assert.Equal(401, (int)anonymous.StatusCode);
    }
}
