using System.Net.Http.Json;
using System.Text.Json;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;

namespace AgentOrchestrator.SampleServices.Tests;

public sealed class CrmTests
{
    private static async Task<string> CreateContactAsync(SampleServicesHost host, string name, string email)
    {
        using var response = await host.PostAsync("/crm/contacts", $$"""{ "name": "{{name}}", "email": "{{email}}" }""", Guid.NewGuid().ToString());
        Assert.Equal(201, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task FindContacts_ByPartOfNameOrExactEmail_FindsTheContact()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var ada = await CreateContactAsync(host, "Ada Lovelace", "ada@example.com");
        await CreateContactAsync(host, "Grace Hopper", "grace@example.com");

        var byName = (await host.GetJsonAsync("/crm/contacts?name=lovel")).GetProperty("items");
        var byEmail = (await host.GetJsonAsync("/crm/contacts?email=ADA@example.com")).GetProperty("items");

        Assert.Equal(ada, Assert.Single(byName.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(ada, Assert.Single(byEmail.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task DeleteContact_Twice_SecondIsANoOpAndTheContactIsGone()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var ada = await CreateContactAsync(host, "Ada Lovelace", "ada@example.com");

        using var first = await host.SendAsync(HttpMethod.Delete, $"/crm/contacts/{ada}", idempotencyKey: "del-1");
        using var second = await host.SendAsync(HttpMethod.Delete, $"/crm/contacts/{ada}", idempotencyKey: "del-2");
        using var read = await host.Client.GetAsync($"/crm/contacts/{ada}");

        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(200, (int)second.StatusCode);
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alreadyDeleted").GetBoolean());
        Assert.Equal(404, (int)read.StatusCode);
    }

    [Fact]
    public async Task DeleteContact_NeverExisted_Returns404()
    {
        await using var host = await SampleServicesHost.StartAsync();

        using var response = await host.SendAsync(HttpMethod.Delete, "/crm/contacts/ct_doesnotexist", idempotencyKey: "del-1");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("contact_not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task RemoveNote_Twice_SecondIsANoOpAndTheNoteIsNoLongerListed()
    {
        await using var host = await SampleServicesHost.StartAsync();
        var ada = await CreateContactAsync(host, "Ada Lovelace", "ada@example.com");
        using var added = await host.PostAsync($"/crm/contacts/{ada}/notes", """{ "text": "Wants the annual plan." }""", "note-1");
        var note = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        using var first = await host.SendAsync(HttpMethod.Delete, $"/crm/contacts/{ada}/notes/{note}", idempotencyKey: "rm-1");
        using var second = await host.SendAsync(HttpMethod.Delete, $"/crm/contacts/{ada}/notes/{note}", idempotencyKey: "rm-2");

        Assert.Equal(201, (int)added.StatusCode);
        Assert.Equal(200, (int)first.StatusCode);
        Assert.Equal(200, (int)second.StatusCode);
        Assert.Empty((await host.GetJsonAsync($"/crm/contacts/{ada}/notes")).GetProperty("items").EnumerateArray());
    }
}
