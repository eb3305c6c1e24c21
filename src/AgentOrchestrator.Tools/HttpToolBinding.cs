using System.Text.Json;

namespace AgentOrchestrator.Tools;

/// <summary>A tool served over HTTP. The host comes from <see cref="BaseUri"/> alone; arguments only fill
/// escaped placeholders, so they can never change where the request goes.</summary>
/// <param name="Method">HTTP method (GET, HEAD, POST, PUT, PATCH or DELETE).</param>
/// <param name="BaseUri">Effective base URL (the manifest's, or the configuration override), already allow-listed.</param>
/// <param name="PathTemplate">Path template appended to <see cref="BaseUri"/>, e.g. <c>/contacts/{contactId}</c>.</param>
/// <param name="Query">Query parameter templates by name.</param>
/// <param name="Headers">Extra header templates by name.</param>
/// <param name="Body">Body mapping over <c>{ "args": ... }</c>, or <see langword="null"/> for no body.</param>
/// <param name="Auth">How requests authenticate, or <see langword="null"/> for none.</param>
public sealed record HttpToolBinding(
    string Method,
    Uri BaseUri,
    string PathTemplate,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    JsonElement? Body,
    ToolAuth? Auth) : ToolBinding;
