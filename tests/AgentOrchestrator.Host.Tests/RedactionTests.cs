using System.Text.Json;
using AgentOrchestrator.Host.Api;

namespace AgentOrchestrator.Host.Tests;

/// <summary>What support staff and clients see of personal data and secrets in event and history JSON.</summary>
public sealed class RedactionTests
{
    [Fact]
    public void ForStaff_AddressAfterJsonEscape_MaskedAndJsonStaysValid()
    {
        // System.Text.Json writes "<" as \u003C, so a model answer "Ada <ada@example.com>" reaches redaction like this.
        var json = JsonSerializer.Serialize(new { text = "Ada Lovelace <ada@example.com> paid with 4242 4242 4242 4242" });

        var shown = Redaction.ForStaff(json);

        var text = JsonDocument.Parse(shown).RootElement.GetProperty("text").GetString();
        Assert.Equal("Ada Lovelace <a•••@example.com> paid with ••••4242", text);
    }
}
