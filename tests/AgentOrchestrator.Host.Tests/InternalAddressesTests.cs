using AgentOrchestrator.Api;
using Microsoft.Extensions.Configuration;

namespace AgentOrchestrator.Host.Tests;

/// <summary>Which addresses a chat client is not shown.</summary>
public sealed class InternalAddressesTests
{
    private static readonly InternalAddresses Addresses = new(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Agents:Model:Endpoint"] = "https://aoai-prod.example.com/",
        ["AgentTools:Services:crm:BaseUrl"] = "https://crm.partner.example/api",
        ["Urls"] = "http://0.0.0.0:5080",
    }).Build());

    [Theory]
    [InlineData("the service could not be reached: Connection refused (127.0.0.1:5999)", "the service could not be reached: Connection refused ([internal address])")]
    [InlineData("GET http://10.0.4.2:8080/v1/charge failed.", "GET [internal address] failed.")]
    [InlineData("refused ([::1]:5080)", "refused ([internal address])")]
    [InlineData("billing.internal did not answer", "[internal address] did not answer")]
    [InlineData("calling aoai-prod.example.com timed out", "calling [internal address] timed out")]
    [InlineData("see https://crm.partner.example/api/contacts/42", "see [internal address]")]
    [InlineData("Your receipt: https://shop.example.org/r/42, thanks", "Your receipt: https://shop.example.org/r/42, thanks")]
    [InlineData("Write to ada@example.com at 12:30, version 1.2.3.4.5", "Write to ada@example.com at 12:30, version 1.2.3.4.5")]
    public void Hide_InText_HidesInternalAddressesOnly(string text, string shown) => Assert.Equal(shown, Addresses.Hide(text, everyAddress: false));

    [Theory]
    [InlineData("No such host is known. (api.stripe.example:443)", "No such host is known. ([internal address])")]
    [InlineData("HTTP 502 from https://shop.example.org/hook", "HTTP 502 from [internal address]")]
    [InlineData("refused (203.0.113.9:443)", "refused ([internal address])")]
    [InlineData("The card was declined.", "The card was declined.")]
    public void Hide_InErrors_HidesEveryAddress(string text, string shown) => Assert.Equal(shown, Addresses.Hide(text, everyAddress: true));
}
