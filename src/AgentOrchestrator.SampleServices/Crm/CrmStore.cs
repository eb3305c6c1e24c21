using System.Globalization;
using AgentOrchestrator.SampleServices.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.SampleServices.Crm;

/// <summary>The CRM's SQL. Deletions are tombstones, so deleting again is a no-op and a missing contact is a 404.</summary>
internal static class CrmStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS contacts (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, company TEXT, phone TEXT,
            created_at TEXT NOT NULL, deleted_at TEXT);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_contacts_live_email ON contacts (email COLLATE NOCASE) WHERE deleted_at IS NULL;
        CREATE TABLE IF NOT EXISTS notes (
            id TEXT PRIMARY KEY, contact_id TEXT NOT NULL REFERENCES contacts (id), text TEXT NOT NULL,
            created_at TEXT NOT NULL, removed_at TEXT);
        CREATE INDEX IF NOT EXISTS ix_notes_contact ON notes (contact_id);
        """;

    private const string ContactColumns = "id, name, email, company, phone, created_at";

    public static async Task<List<Contact>> FindAsync(SqliteConnection connection, string? email, string? name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {ContactColumns} FROM contacts
            WHERE deleted_at IS NULL AND ($email IS NULL OR email = $email COLLATE NOCASE) AND ($name IS NULL OR instr(lower(name), lower($name)) > 0)
            ORDER BY created_at, id LIMIT 50
            """;
        command.Parameters.AddWithValue("$email", (object?)email ?? DBNull.Value);
        command.Parameters.AddWithValue("$name", (object?)name ?? DBNull.Value);
        return await ReadContactsAsync(command);
    }

    public static async Task<Contact?> GetAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, bool includeDeleted = false)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {ContactColumns} FROM contacts WHERE id = $id{(includeDeleted ? string.Empty : " AND deleted_at IS NULL")}";
        command.Parameters.AddWithValue("$id", id);
        return (await ReadContactsAsync(command)).FirstOrDefault();
    }

    public static async Task<bool> IsDeletedAsync(SqliteConnection connection, SqliteTransaction transaction, string id)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT deleted_at IS NOT NULL FROM contacts WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await command.ExecuteScalarAsync() is long deleted && deleted == 1;
    }

    public static async Task<Contact?> FindLiveByEmailAsync(SqliteConnection connection, SqliteTransaction transaction, string email)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {ContactColumns} FROM contacts WHERE deleted_at IS NULL AND email = $email COLLATE NOCASE";
        command.Parameters.AddWithValue("$email", email);
        return (await ReadContactsAsync(command)).FirstOrDefault();
    }

    public static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, Contact contact)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO contacts (id, name, email, company, phone, created_at) VALUES ($id, $name, $email, $company, $phone, $created)";
        command.Parameters.AddWithValue("$id", contact.Id);
        command.Parameters.AddWithValue("$name", contact.Name);
        command.Parameters.AddWithValue("$email", contact.Email);
        command.Parameters.AddWithValue("$company", (object?)contact.Company ?? DBNull.Value);
        command.Parameters.AddWithValue("$phone", (object?)contact.Phone ?? DBNull.Value);
        command.Parameters.AddWithValue("$created", contact.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync();
    }

    public static async Task DeleteAsync(SqliteConnection connection, SqliteTransaction transaction, string id, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE contacts SET deleted_at = $now WHERE id = $id AND deleted_at IS NULL;
            UPDATE notes SET removed_at = $now WHERE contact_id = $id AND removed_at IS NULL;
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$now", now.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync();
    }

    public static async Task InsertNoteAsync(SqliteConnection connection, SqliteTransaction transaction, Note note)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO notes (id, contact_id, text, created_at) VALUES ($id, $contact, $text, $created)";
        command.Parameters.AddWithValue("$id", note.Id);
        command.Parameters.AddWithValue("$contact", note.ContactId);
        command.Parameters.AddWithValue("$text", note.Text);
        command.Parameters.AddWithValue("$created", note.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Returns null when the note never existed on the contact, true when it was removed now, false when it already was.</summary>
    public static async Task<bool?> RemoveNoteAsync(SqliteConnection connection, SqliteTransaction transaction, string contactId, string noteId, DateTimeOffset now)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT removed_at IS NULL FROM notes WHERE id = $id AND contact_id = $contact";
        command.Parameters.AddWithValue("$id", noteId);
        command.Parameters.AddWithValue("$contact", contactId);
        if (await command.ExecuteScalarAsync() is not long live)
        {
            return null;
        }

        if (live == 0)
        {
            return false;
        }

        command.CommandText = "UPDATE notes SET removed_at = $now WHERE id = $id";
        command.Parameters.AddWithValue("$now", now.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync();
        return true;
    }

    public static async Task<List<Note>> ListNotesAsync(SqliteConnection connection, string contactId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, contact_id, text, created_at FROM notes WHERE contact_id = $contact AND removed_at IS NULL ORDER BY created_at, id";
        command.Parameters.AddWithValue("$contact", contactId);
        var notes = new List<Note>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            notes.Add(new Note(reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture)));
        }

        return notes;
    }

    private static async Task<List<Contact>> ReadContactsAsync(SqliteCommand command)
    {
        var contacts = new List<Contact>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            contacts.Add(new Contact(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture)));
        }

        return contacts;
    }
}
