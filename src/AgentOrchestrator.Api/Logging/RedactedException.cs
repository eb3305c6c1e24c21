using AgentOrchestrator.Api;

namespace AgentOrchestrator.Api.Logging;

/// <summary>
/// Stands in for a logged exception whose text holds something <see cref="Redaction"/> masks: the same message and
/// text (type, inner exceptions, stack), masked. Providers print it as they print the original.
/// </summary>
internal sealed class RedactedException : Exception
{
    private readonly string _text;

    private RedactedException(Exception original, string text)
        : base(Redaction.ForStaff(original.Message))
    {
        _text = text;
        HResult = original.HResult;
        Source = original.Source;
    }

    /// <summary>
    /// The exception as logs should show it: itself when its text (message, inner exceptions, stack) holds nothing to
    /// mask, else a <see cref="RedactedException"/> whose text is the masked original.
    /// </summary>
    public static Exception? From(Exception? exception)
    {
        if (exception is null or RedactedException)
        {
            return exception;
        }

        var text = exception.ToString();
        var masked = Redaction.ForStaff(text);
        return masked == text ? exception : new RedactedException(exception, masked);
    }

    /// <summary>The original's <see cref="Exception.ToString"/>, masked: its type, message, inner exceptions and stack.</summary>
    public override string ToString() => _text;
}
