namespace AgentOrchestrator.FakeOpenAI;

/// <summary>What the fake server does with a request a <see cref="FakeResponse"/> answers.</summary>
public enum FakeResponseKind
{
    /// <summary>A chat completion (text and/or tool calls), streamed when the request asks for a stream.</summary>
    Completion,

    /// <summary>An HTTP error status with an OpenAI-style error body and optional retry headers.</summary>
    Error,

    /// <summary>A 200 response whose body (or, streamed, whose first event) is not valid JSON.</summary>
    Malformed,

    /// <summary>No answer at all until the client gives up or the server stops.</summary>
    Hang,

    /// <summary>Streams the first half of the text, then sends nothing more until the client gives up or the server
    /// stops (then the connection is dropped). Deterministic, unlike a drop racing the client's reads.</summary>
    StallMidStream,
}
