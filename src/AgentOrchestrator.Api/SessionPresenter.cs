using System.Text.Json.Nodes;
using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Api;

/// <summary>
/// Decides what each audience sees of a session. Staff (admin API, support page) see the detail, with secrets and
/// personal data masked (<see cref="Redaction.ForStaff(string)"/>). A chat client sees its own words and the answers
/// with secrets masked (<see cref="Redaction.ForClient(string)"/>), and no internal address or endpoint
/// (<see cref="InternalAddresses"/>): error messages lose every address, other text its internal ones.
/// </summary>
public sealed class SessionPresenter(InternalAddresses addresses)
{
    // Fields that carry a failure's words: a client sees no address in them at all.
    private static readonly HashSet<string> ErrorFields = new(StringComparer.OrdinalIgnoreCase) { "error", "errors", "message", "reason", "detail", "details" };

    /// <summary>An event's data as the session's client sees it.</summary>
    public JsonNode? ForClient(SessionEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return HideAddresses(Redaction.ForClient(e.Data), inError: false);
    }

    /// <summary>
    /// An event's data as staff see it: masked, and a <c>model.delta</c> without its text. The pieces of a streamed answer
    /// can split a card number so that no mask matches either piece; the step's <c>model.completed</c> event carries the
    /// whole text, masked.
    /// </summary>
    public static JsonNode? ForStaff(SessionEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var data = Redaction.ForStaff(e.Data);
        if (e.Kind == SessionEventKinds.ModelDelta && data is JsonObject delta)
        {
            delta.Remove("text");
        }

        return data;
    }

    /// <summary>A piece of streamed text (a <c>model.delta</c>, cut by <see cref="StreamedText"/>) as the client sees it.</summary>
    public string ForClient(string text) => addresses.Hide(Redaction.ForClient(text), everyAddress: false);

    /// <summary>A session's status as its client sees it.</summary>
    public SessionView ForClient(SessionStatus status)
        => SessionView.From(status, text => ForClient(text), error => addresses.Hide(Redaction.ForClient(error), everyAddress: true));

    /// <summary>A session's status as staff see it.</summary>
    public static SessionView ForStaff(SessionStatus status) => SessionView.From(status, Redaction.ForStaff, Redaction.ForStaff);

    private JsonNode? HideAddresses(JsonNode? node, bool inError)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    obj[name] = HideAddresses(value?.DeepClone(), inError || ErrorFields.Contains(name));
                }

                return obj;
            case JsonArray array:
                return new JsonArray([.. array.Select(item => HideAddresses(item?.DeepClone(), inError))]);
            case JsonValue value when value.TryGetValue<string>(out var text):
                return JsonValue.Create(addresses.Hide(text, everyAddress: inError));
            default:
                return node;
        }
    }
}
