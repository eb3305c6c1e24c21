using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.FakeOpenAI;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Tests.Model;

/// <summary>Masking of personal data before text leaves for the model.</summary>
public sealed class PiiMaskingTests
{
    private static readonly PiiMasker Masker = new(new PiiMaskingOptions { Enabled = true });

    [Theory]
    [InlineData("Write to ada.lovelace+crm@example.co.uk today", "Write to [EMAIL] today")]
    [InlineData("Card 4242 4242 4242 4242 please", "Card [CARD] please")]
    [InlineData("Card 4242424242424242.", "Card [CARD].")]
    [InlineData("Call +44 20 7946 0958 or (555) 123-4567", "Call [PHONE] or [PHONE]")]
    public void Mask_PersonalData_IsReplaced(string text, string expected)
    {
        Assert.Equal(expected, Masker.Mask(text));
    }

    [Theory]
    [InlineData("Charge 42 EUR on invoice in_8f3a2c for contact ct_3f9a1c")]
    [InlineData("Order 4242424242424241 is not a card")] // 16 digits failing the Luhn check
    [InlineData("Meeting on 2025-01-15 at 10:30, amount 1299.90")]
    public void Mask_OrdinaryText_IsLeftAlone(string text)
    {
        Assert.Equal(text, Masker.Mask(text));
    }

    [Fact]
    public void Mask_KindSwitchedOff_IsLeftAlone()
    {
        var masker = new PiiMasker(new PiiMaskingOptions { Enabled = true, Emails = false });

        Assert.Equal("ada@example.com [CARD]", masker.Mask("ada@example.com 4242424242424242"));
    }

    [Fact]
    public async Task GetResponseAsync_MaskingOn_ServerSeesNoPersonalDataButCallerKeepsItsMessages()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue("primary", FakeResponse.TextAnswer("ok"));
        await using var gateway = GatewayHarness.Create(server, new Dictionary<string, string?> { ["PiiMasking:Enabled"] = "true" });
        List<ChatMessage> conversation =
        [
            new(ChatRole.User, "Create Ada, ada@example.com, +44 20 7946 0958"),
            new(ChatRole.Assistant, [new FunctionCallContent("call_1", "crm_get_contact", new Dictionary<string, object?> { ["contactId"] = "ct_1" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call_1", """{"id":"ct_1","email":"ada@example.com"}""")]),
        ];

        await gateway.Client.GetResponseAsync(conversation).WaitAsync(GatewayHarness.Timeout);

        var sent = server.Requests[0].Messages;
        Assert.Equal("Create Ada, [EMAIL], [PHONE]", sent[0].Content);
        Assert.DoesNotContain("ada@example.com", server.Requests[0].Body, StringComparison.Ordinal);
        Assert.Contains("ct_1", sent[2].Content, StringComparison.Ordinal);
        Assert.Equal("Create Ada, ada@example.com, +44 20 7946 0958", conversation[0].Text);
    }

    [Fact]
    public async Task GetResponseAsync_MaskingOff_SendsTextAsItIs()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Enqueue("primary", FakeResponse.TextAnswer("ok"));
        await using var gateway = GatewayHarness.Create(server);

        await gateway.Client.GetResponseAsync(GatewayHarness.Conversation("mail ada@example.com")).WaitAsync(GatewayHarness.Timeout);

        Assert.Equal("mail ada@example.com", server.Requests[0].Messages[1].Content);
    }
}
