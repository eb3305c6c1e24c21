namespace AgentOrchestrator.Api;

/// <summary>
/// Cuts a streamed answer (one model step's <c>model.delta</c> pieces) at safe places before it is masked, so that a
/// card number, an e-mail or an address split across two pieces is masked whole: each piece is sent up to its last
/// safe place and the rest waits for the next piece, or goes out with the last piece of the step.
/// </summary>
/// <remarks>
/// A safe place is just after a space or line break that follows a letter or a sentence mark: no mask spans one (card
/// numbers and phone numbers run through spaces only between digits, a quoted secret field through a space after a
/// colon or quote, a token after "Bearer " is kept with it). Text that has no safe place for <see cref="MaxHeld"/> characters is let out but for its last
/// <see cref="Tail"/>. The cut depends only on the text, so a client that resumes mid-step gets the same pieces.
/// </remarks>
public sealed class StreamedText
{
    /// <summary>The most characters held back waiting for a safe place.</summary>
    public const int MaxHeld = 2_048;

    /// <summary>What is still held back when <see cref="MaxHeld"/> is passed: longer than any mask's match.</summary>
    public const int Tail = 256;

    private string _held = string.Empty;

    /// <summary>The model step (turn, step) whose pieces these are, or null before the first.</summary>
    public (int Turn, int Step)? Step { get; private set; }

    /// <summary>Starts a new step: what was held of the last one is dropped (it went out with that step's last piece).</summary>
    public void Start((int Turn, int Step) step)
    {
        Step = step;
        _held = string.Empty;
    }

    /// <summary>Adds a piece and returns the text that may go out now; with <paramref name="last"/>, everything left.</summary>
    public string Take(string piece, bool last)
    {
        ArgumentNullException.ThrowIfNull(piece);
        var text = _held + piece;
        var cut = last ? text.Length : SafeCut(text);
        _held = text[cut..];
        return text[..cut];
    }

    // "Bearer abc…", "Basic abc…": the token belongs with its scheme.
    private static bool AfterScheme(string text, int space)
        => text.AsSpan(0, space).EndsWith("bearer", StringComparison.OrdinalIgnoreCase) || text.AsSpan(0, space).EndsWith("basic", StringComparison.OrdinalIgnoreCase);

    private static int SafeCut(string text)
    {
        for (var i = text.Length - 1; i > 0; i--)
        {
            if (char.IsWhiteSpace(text[i]) && (char.IsLetter(text[i - 1]) || text[i - 1] is '.' or ',' or ';' or '!' or '?' or ')') && !AfterScheme(text, i))
            {
                return i + 1;
            }
        }

        return text.Length > MaxHeld ? text.Length - Tail : 0;
    }
}
