namespace AgentOrchestrator.SampleServices.Crm;

/// <summary>A CRM contact as the API returns it.</summary>
/// <param name="Id">Contact id, <c>ct_...</c>.</param>
/// <param name="Name">Full name.</param>
/// <param name="Email">Email address, unique among live contacts.</param>
/// <param name="Company">Company, if known.</param>
/// <param name="Phone">Phone number, if known.</param>
/// <param name="CreatedAt">When the contact was created.</param>
public sealed record Contact(string Id, string Name, string Email, string? Company, string? Phone, DateTimeOffset CreatedAt);

/// <summary>A note on a contact.</summary>
/// <param name="Id">Note id, <c>nt_...</c>.</param>
/// <param name="ContactId">The contact.</param>
/// <param name="Text">The note.</param>
/// <param name="CreatedAt">When the note was added.</param>
public sealed record Note(string Id, string ContactId, string Text, DateTimeOffset CreatedAt);

/// <summary>Body of POST /contacts.</summary>
/// <param name="Name">Full name.</param>
/// <param name="Email">Email address.</param>
/// <param name="Company">Company.</param>
/// <param name="Phone">Phone number.</param>
public sealed record CreateContactRequest(string? Name, string? Email, string? Company, string? Phone);

/// <summary>Body of POST /contacts/{id}/notes.</summary>
/// <param name="Text">The note.</param>
public sealed record AddNoteRequest(string? Text);
