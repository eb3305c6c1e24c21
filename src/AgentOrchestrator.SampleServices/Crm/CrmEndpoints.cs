using System.Net.Mail;
using AgentOrchestrator.SampleServices.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.SampleServices.Crm;

/// <summary>The CRM's HTTP API: contacts and notes.</summary>
internal static class CrmEndpoints
{
    public static void Map(RouteGroupBuilder group, ServiceRuntime crm)
    {
        group.MapGet("/contacts", (HttpContext http, string? email, string? name) => crm.ReadAsync(http, "find_contacts", async connection =>
            email is null && name is null
                ? ServiceResponse.Error(400, "missing_filter", "Give email or name.")
                : ServiceResponse.Ok(new { items = await CrmStore.FindAsync(connection, email, name) })));

        group.MapGet("/contacts/{contactId}", (HttpContext http, string contactId) => crm.ReadAsync(http, "get_contact", async connection =>
            await CrmStore.GetAsync(connection, null, contactId) is { } contact
                ? ServiceResponse.Ok(contact)
                : NotFound(contactId)));

        group.MapPost("/contacts", async (HttpContext http) =>
        {
            var (request, canonical, error) = await RequestBody.ReadAsync<CreateContactRequest>(http);
            if (error is not null)
            {
                return error;
            }

            if (Validate(request!) is { } invalid)
            {
                return invalid;
            }

            return await crm.WriteAsync(http, "create_contact", canonical, (connection, transaction) => CreateAsync(crm, connection, transaction, request!));
        });

        group.MapDelete("/contacts/{contactId}", (HttpContext http, string contactId) =>
            crm.WriteAsync(http, "delete_contact", string.Empty, async (connection, transaction) =>
            {
                if (await CrmStore.GetAsync(connection, transaction, contactId, includeDeleted: true) is null)
                {
                    return NotFound(contactId);
                }

                var already = await CrmStore.IsDeletedAsync(connection, transaction, contactId);
                await CrmStore.DeleteAsync(connection, transaction, contactId, crm.Now);
                return ServiceResponse.Ok(new { id = contactId, deleted = true, alreadyDeleted = already });
            }));

        group.MapGet("/contacts/{contactId}/notes", (HttpContext http, string contactId) => crm.ReadAsync(http, "list_notes", async connection =>
            await CrmStore.GetAsync(connection, null, contactId) is null
                ? NotFound(contactId)
                : ServiceResponse.Ok(new { items = await CrmStore.ListNotesAsync(connection, contactId) })));

        group.MapPost("/contacts/{contactId}/notes", async (HttpContext http, string contactId) =>
        {
            var (request, canonical, error) = await RequestBody.ReadAsync<AddNoteRequest>(http);
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(request!.Text) || request.Text.Length > 4000)
            {
                return ServiceResponse.Error(400, "invalid_text", "text must be 1 to 4000 characters.");
            }

            return await crm.WriteAsync(http, "add_note", canonical, async (connection, transaction) =>
            {
                if (await CrmStore.GetAsync(connection, transaction, contactId) is null)
                {
                    return NotFound(contactId);
                }

                var note = new Note(Ids.New("nt"), contactId, request.Text, crm.Now);
                await CrmStore.InsertNoteAsync(connection, transaction, note);
                return ServiceResponse.Ok(note, StatusCodes.Status201Created);
            });
        });

        group.MapDelete("/contacts/{contactId}/notes/{noteId}", (HttpContext http, string contactId, string noteId) =>
            crm.WriteAsync(http, "remove_note", string.Empty, async (connection, transaction) =>
                await CrmStore.RemoveNoteAsync(connection, transaction, contactId, noteId, crm.Now) switch
                {
                    null => ServiceResponse.Error(404, "note_not_found", $"Contact {contactId} has no note {noteId}."),
                    var removed => ServiceResponse.Ok(new { id = noteId, contactId, deleted = true, alreadyDeleted = removed == false }),
                }));
    }

    private static async Task<ServiceResponse> CreateAsync(ServiceRuntime crm, SqliteConnection connection, SqliteTransaction transaction, CreateContactRequest request)
    {
        if (await CrmStore.FindLiveByEmailAsync(connection, transaction, request.Email!) is { } existing)
        {
            return ServiceResponse.Error(400, "contact_exists", $"Contact {existing.Id} already has the email address {existing.Email}.", new { contactId = existing.Id });
        }

        var contact = new Contact(Ids.New("ct"), request.Name!.Trim(), request.Email!.Trim(), request.Company, request.Phone, crm.Now);
        await CrmStore.InsertAsync(connection, transaction, contact);
        return ServiceResponse.Ok(contact, StatusCodes.Status201Created);
    }

    private static ServiceResponse? Validate(CreateContactRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return ServiceResponse.Error(400, "invalid_name", "name must be 1 to 200 characters.");
        }

        if (string.IsNullOrWhiteSpace(request.Email) || !MailAddress.TryCreate(request.Email, out var address) || address.Address != request.Email.Trim())
        {
            return ServiceResponse.Error(400, "invalid_email", "email must be an email address.");
        }

        return null;
    }

    private static ServiceResponse NotFound(string contactId) =>
        ServiceResponse.Error(404, "contact_not_found", $"There is no contact {contactId}.");
}
