using System.Text.Json;
using AgentOrchestrator.Api;

namespace AgentOrchestrator.Host.Tests;

/// <summary>What support staff and clients see of personal data and secrets in event and history JSON.</summary>
public sealed class RedactionTests
{
    private const string Card = "4000000000000002";

    [Fact]
    public void ForStaff_AddressAfterJsonEscape_MaskedAndJsonStaysValid()
    {
        // System.Text.Json writes "<" as \u003C, so a model answer "Ada <ada@example.com>" reaches redaction like this.
        var json = JsonSerializer.Serialize(new { text = "Ada Lovelace <ada@example.com> paid with 4242 4242 4242 4242" });

        var shown = Redaction.ForStaff(json);

        var text = JsonDocument.Parse(shown).RootElement.GetProperty("text").GetString();
        Assert.Equal("Ada Lovelace <a•••@example.com> paid with ••••4242", text);
    }

    public static TheoryData<string, string> Secrets => new()
    {
        // JSON inside JSON inside JSON, as activity inputs sit in the raw history: quotes become \" and then \u0022.
        { Twice(new { cardNumber = Card }), Card },
        { Twice(new { note = "card:\n" + Card }), Card },
        { Twice(new { note = $"card '{Card}'" }), Card },
        { Twice(new { note = $"card \"{Card}\"" }), Card },
        { Twice(new { password = "hunter2" }), "hunter2" },
        { Twice(new { apiKey = "k-123456" }), "k-123456" },
        { Twice(new { email = "ada@example.com" }), "ada@example.com" },
        { "GET http://127.0.0.1/pay?api_key=abc123&x=1", "abc123" },
        { "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.cGF5bG9hZA.c2ln", "eyJhbGciOiJIUzI1NiJ9" },
        { "sent with Bearer eyJhbGciOiJIUzI1NiJ9.cGF5bG9hZA.c2ln", "eyJhbGciOiJIUzI1NiJ9" },
        { "call me on +44 20 7946 0958 after six", "7946 0958" },
    };

    [Theory]
    [MemberData(nameof(Secrets))]
    public void ForStaff_SecretAtAnyDepthOfJsonEscaping_IsMaskedAndJsonStaysValid(string text, string secret)
    {
        var shown = Redaction.ForStaff(text);

        Assert.DoesNotContain(secret, shown, StringComparison.Ordinal);
        if (text.StartsWith('"'))
        {
            // Still a JSON string holding JSON holding JSON.
            var inner = JsonDocument.Parse(shown).RootElement.GetString()!;
            JsonDocument.Parse(JsonDocument.Parse(inner).RootElement.GetString()!).Dispose();
        }
    }

    [Theory]
    [InlineData("the bearer of this card")]
    [InlineData("session s-3f0c1234567890123456789012345678 turn 2")]
    [InlineData("{\"amount\":42,\"currency\":\"EUR\"}")]
    [InlineData("Connection refused (10.20.30.40:8443) at http://192.168.10.20/x")]
    public void ForStaff_OrdinaryText_StaysAsWritten(string text) => Assert.Equal(text, Redaction.ForStaff(text));

    [Fact]
    public void ForStaff_JsonValue_MasksCardNumbersSecretsAndStrings()
    {
        using var json = JsonDocument.Parse($$"""{"cardNumber":{{Card}},"apiKey":"k-1","amount":42,"paid":false,"note":null,"lines":["ada@example.com"]}""");

        var shown = Redaction.ForStaff(json.RootElement)!.ToJsonString();

        Assert.Equal("""{"cardNumber":"\u2022\u2022\u2022\u20220002","apiKey":"[redacted]","amount":42,"paid":false,"note":null,"lines":["a\u2022\u2022\u2022@example.com"]}""", shown);
    }

    private static string Twice(object value) => JsonSerializer.Serialize(JsonSerializer.Serialize(JsonSerializer.Serialize(value)));
}
