using AgentOrchestrator.Agents.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentOrchestrator.Agents.Tests.Model;

/// <summary>Versioned prompt templates, from the repository's real prompts/ folder and from a temp folder.</summary>
public sealed class PromptTemplateStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("prompts-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Get_ShippedSessionSystemPrompt_RendersEveryPlaceholder()
    {
        var store = Store();

        var template = store.Get("session-system", 1);
        var text = template.Render(new Dictionary<string, string>
        {
            ["assistant_name"] = "Ada's helper", ["session_id"] = "s-42", ["tool_names"] = "crm_create_contact, billing_charge_payment",
        });

        Assert.Equal("session-system.v1", template.Id);
        Assert.Contains("You are Ada's helper", text, StringComparison.Ordinal);
        Assert.Contains("Session: s-42", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MissingValue_SaysWhichPlaceholder()
    {
        var template = new PromptTemplate("greeting", 1, "Hello {{name}}, you owe {{ amount }}.");

        var error = Assert.Throws<ArgumentException>(() => template.Render(new Dictionary<string, string> { ["name"] = "Ada" }));

        Assert.Contains("greeting.v1 needs a value for amount", error.Message, StringComparison.Ordinal);
        Assert.Equal(["name", "amount"], template.Placeholders);
    }

    [Fact]
    public void GetById_SessionStartedOnOldVersion_KeepsItAfterANewVersionShips()
    {
        File.WriteAllText(Path.Combine(_folder, "greeting.v1.md"), "Hello {{name}}.");
        var recorded = new PromptTemplateStore(_folder).GetLatest("greeting").Id;
        File.WriteAllText(Path.Combine(_folder, "greeting.v2.md"), "Hi there, {{name}}!");

        var store = new PromptTemplateStore(_folder);

        Assert.Equal("greeting.v1", recorded);
        Assert.Equal("Hello Ada.", store.GetById(recorded).Render(new Dictionary<string, string> { ["name"] = "Ada" }));
        Assert.Equal(2, store.GetLatest("greeting").Version);
    }

    [Fact]
    public void Get_UnknownVersion_ListsTheVersionsThereAre()
    {
        File.WriteAllText(Path.Combine(_folder, "greeting.v1.md"), "Hello.");
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "not a template");

        var error = Assert.Throws<KeyNotFoundException>(() => new PromptTemplateStore(_folder).Get("greeting", 3));

        Assert.Contains("Available: greeting.v1", error.Message, StringComparison.Ordinal);
    }

    private static PromptTemplateStore Store()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddModelGateway(new ConfigurationBuilder().Build());
        return services.BuildServiceProvider().GetRequiredService<PromptTemplateStore>();
    }
}
