using AgentOrchestrator.Tools.Invocation;
using AgentOrchestrator.Tools.Tests.Infrastructure;

namespace AgentOrchestrator.Tools.Tests.Manifests;

public sealed class ToolManifestParserTests
{
    [Theory]
    [InlineData("crm.json", 6)]
    [InlineData("billing.json", 7)]
    public void Parse_SampleManifest_YieldsEveryToolWithoutErrors(string file, int toolCount)
    {
        var result = TestTools.Parser().Parse(TestTools.Sample(file), file);

        Assert.Empty(result.Errors);
        Assert.Equal(toolCount, result.Tools.Count);
    }

    [Fact]
    public void Parse_ToolMissingVersion_NamesFilePointerAndReason()
    {
        var result = TestTools.Parser().Parse(TestTools.Fixture("missing-fields.json"), "missing-fields.json");

        var error = Assert.Single(result.Errors);
        Assert.Equal("missing-fields.json", error.Source);
        Assert.Equal("/tools/0/version", error.Pointer);
        Assert.Equal("is required", error.Message);
        Assert.Equal("missing-fields.json (line 6): /tools/0/version: is required", error.ToString());
    }

    [Fact]
    public void Parse_ParameterWithMisspelledType_ReportsOneErrorAtTheType()
    {
        var result = TestTools.Parser().Parse(TestTools.Fixture("bad-schema.json"), "bad-schema.json");

        var error = Assert.Single(result.Errors);
        Assert.Equal("/tools/0/parameters/properties/age/type", error.Pointer);
        Assert.Contains("'integr' is not a JSON Schema type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BaseUrlHostNotAllowed_RejectsTheManifestAtBaseUrl()
    {
        var result = TestTools.Parser(TestTools.Options("http://127.0.0.1:5080", "https://crm.example.com")).Parse(TestTools.Fixture("host-not-allowed.json"), "host-not-allowed.json");

        var error = Assert.Single(result.Errors);
        Assert.Equal("/http/baseUrl", error.Pointer);
        Assert.Equal("origin 'https://attacker.example.net:443' is not on the allow-list (AgentTools:AllowedOrigins: http://127.0.0.1:5080, https://crm.example.com:443)", error.Message);
        Assert.Empty(result.Tools);
    }

    [Fact]
    public void Parse_ThreeUnrelatedProblems_ReportsExactlyThreeErrors()
    {
        var result = TestTools.Parser().Parse(TestTools.Fixture("three-problems.json"), "three-problems.json");

        Assert.Collection(
            result.Errors.OrderBy(e => e.Pointer, StringComparer.Ordinal),
            e => Assert.Equal(("/http/auth/secret", true), (e.Pointer, e.Message.Contains("looks like a secret value", StringComparison.Ordinal))),
            e => Assert.Equal(("/tools/0/effects/readOnly", true), (e.Pointer, e.Message.Contains("must use GET or HEAD, not POST", StringComparison.Ordinal))),
            e => Assert.Equal(("/tools/0/timeout", true), (e.Pointer, e.Message.Contains("more than 0", StringComparison.Ordinal))));
    }

    [Fact]
    public void Parse_StructuralAndSemanticProblemInOneTool_ReportsBothInOneLoad()
    {
        var broken = TestTools.Sample("billing.json")
            .ReplaceFirst("\"version\": \"1.0.0\",\n      \"title\": \"Charge payment\"", "\"title\": \"Charge payment\"")
            .ReplaceFirst("\"method\": \"POST\", \"path\": \"/payments\"", "\"method\": \"POST\", \"path\": \"payments\"");

        var result = TestTools.Parser().Parse(broken, "billing.json");

        Assert.Equal(
            [("/tools/3/binding/http/path", false), ("/tools/3/version", true)],
            result.Errors.OrderBy(e => e.Pointer, StringComparer.Ordinal).Select(e => (e.Pointer, e.Message == "is required")));
    }

    [Fact]
    public void Parse_WrongTypeThatTheReaderWouldTripOn_ReportsOnlyTheStructuralError()
    {
        var broken = TestTools.Sample("billing.json")
            .ReplaceFirst("\"effects\": { \"readOnly\": false, \"destructive\": false, \"openWorld\": true },\n      \"idempotency\": { \"header\": \"Idempotency-Key\", \"key\": \"{key}\" },\n      \"saga\": {\n        \"role\": \"compensatable\",\n        \"compensation\": {\n          \"tool\": \"billing_refund_payment\"",
                "\"effects\": { \"readOnly\": \"no\", \"destructive\": false, \"openWorld\": true },\n      \"idempotency\": { \"header\": \"Idempotency-Key\", \"key\": \"{key}\" },\n      \"saga\": {\n        \"role\": \"compensatable\",\n        \"compensation\": {\n          \"tool\": \"billing_refund_payment\"");

        var result = TestTools.Parser().Parse(broken, "billing.json");

        Assert.Equal("/tools/3/effects/readOnly", Assert.Single(result.Errors).Pointer);
    }

    [Fact]
    public void Parse_EveryToolFieldReplacedByAnotherKindOfValue_NeverThrowsAndPointsIntoTheTool()
    {
        var sample = System.Text.Json.Nodes.JsonNode.Parse(TestTools.Sample("billing.json"))!;
        var fields = Paths(sample["tools"]![3]!.AsObject()).ToList();
        System.Text.Json.Nodes.JsonNode?[] wrong = [null, 42, "x", new System.Text.Json.Nodes.JsonArray(), new System.Text.Json.Nodes.JsonObject()];
        var parser = TestTools.Parser();
        var checkedCount = 0;

        foreach (var field in fields)
        {
            foreach (var value in wrong)
            {
                var manifest = sample.DeepClone();
                var steps = field.Split('/');
                var parent = steps[..^1].Aggregate(manifest["tools"]![3]!, (node, step) => node[step]!);
                parent[steps[^1]] = value?.DeepClone();

                var result = parser.Parse(manifest.ToJsonString(), "billing.json");

                // Some replacements are valid ("x" as a title, {} as a result schema); the rest must be reported, not thrown.
                Assert.All(result.Errors, e => Assert.StartsWith("/tools/3", e.Pointer, StringComparison.Ordinal));
                checkedCount++;
            }
        }

        Assert.Equal(fields.Count * wrong.Length, checkedCount);
        Assert.Contains("binding/http/method", fields);

        static IEnumerable<string> Paths(System.Text.Json.Nodes.JsonObject node, string prefix = "")
        {
            foreach (var (key, child) in node)
            {
                yield return prefix + key;
                if (child is System.Text.Json.Nodes.JsonObject nested && key is not "properties")
                {
                    foreach (var path in Paths(nested, prefix + key + "/"))
                    {
                        yield return path;
                    }
                }
            }
        }
    }

    [Fact]
    public void Parse_InvalidJson_ReportsLineAndPosition()
    {
        var result = TestTools.Parser().Parse("{\n  \"service\": \"crm\",\n  \"tools\": [ }\n", "broken.json");

        var error = Assert.Single(result.Errors);
        Assert.Equal(string.Empty, error.Pointer);
        Assert.Equal(3, error.Line);
        Assert.StartsWith("is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownPropertyInTool_ListsTheAllowedOnes()
    {
        var json = TestTools.Sample("crm.json").Replace("\"title\": \"Find contacts\",", "\"titel\": \"Find contacts\",", StringComparison.Ordinal);

        var error = Assert.Single(TestTools.Parser().Parse(json, "crm.json").Errors);

        Assert.Equal("/tools/0/titel", error.Pointer);
        Assert.StartsWith("is not an allowed property (allowed: name, version, title,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongValueDeepInTheFile_NamesItsLineAndTheAllowedValues()
    {
        var json = TestTools.Sample("crm.json").ReplaceFirst("\"method\": \"DELETE\", \"path\": \"/contacts/{contactId}\"", "\"method\": \"REMOVE\", \"path\": \"/contacts/{contactId}\"");
        var line = json.Split('\n').ToList().FindIndex(l => l.Contains("REMOVE", StringComparison.Ordinal)) + 1;

        var error = Assert.Single(TestTools.Parser().Parse(json, "crm.json").Errors);

        Assert.Equal(
            $"crm.json (line {line}): /tools/3/binding/http/method: must be one of \"GET\", \"HEAD\", \"POST\", \"PUT\", \"PATCH\", \"DELETE\" (got \"REMOVE\")",
            error.ToString());
    }

    [Fact]
    public void Parse_ProblemUnderANameWithASlash_EscapesTheNameInThePointer()
    {
        var json = TestTools.Sample("crm.json").ReplaceFirst("\"query\": { \"email\": \"{email}\"", "\"query\": { \"e/mail~\": 5");

        var error = Assert.Single(TestTools.Parser().Parse(json, "crm.json").Errors);

        Assert.Equal(("/tools/0/binding/http/query/e~1mail~0", "must be a string (got 5)"), (error.Pointer, error.Message));
    }

    [Fact]
    public void Parse_SameToolNameTwiceInOneFile_PointsAtTheSecond()
    {
        var json = TestTools.Sample("crm.json").Replace("\"name\": \"crm_get_contact\"", "\"name\": \"crm_find_contacts\"", StringComparison.Ordinal);

        var error = Assert.Single(TestTools.Parser().Parse(json, "crm.json").Errors);

        Assert.Equal("/tools/1/name", error.Pointer);
        Assert.Contains("declared twice in this manifest (first at /tools/0)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"idempotency\": { \"header\": \"Idempotency-Key\", \"key\": \"{key}\" },", "", "/tools/2/idempotency", "is required for a tool that is not read-only")]
    [InlineData("\"effects\": { \"readOnly\": false, \"destructive\": true, \"idempotent\": true },", "\"effects\": { \"readOnly\": false, \"destructive\": false, \"idempotent\": true },", "/tools/3/effects/destructive", "a DELETE removes data")]
    [InlineData("\"effects\": { \"readOnly\": true },\n      \"timeout\": \"5s\"\n    },\n    {\n      \"name\": \"crm_create_contact\"", "\"effects\": { \"readOnly\": false },\n      \"timeout\": \"5s\"\n    },\n    {\n      \"name\": \"crm_create_contact\"", "/tools/1/effects/readOnly", "GET requests must not change anything")]
    [InlineData("\"path\": \"/contacts/{contactId}\"", "\"path\": \"/contacts/{contactld}\"", "/tools/1/binding/http/path", "placeholder {contactld} names no parameter")]
    [InlineData("\"path\": \"/contacts/{contactId}/notes\", \"body\": { \"text\": \"$.args.text\" }", "\"path\": \"/contacts/{contactId}/notes\", \"body\": { \"text\": \"$.args.txt\" }", "/tools/4/binding/http/body/text", "'$.args.txt' names no parameter")]
    [InlineData("\"compensation\": { \"tool\": \"crm_delete_contact\", \"arguments\": { \"contactId\": \"$.result.id\" } }", "\"compensation\": { \"tool\": \"crm_delete_contact\", \"arguments\": { \"contactId\": \"$.reslt.id\" } }", "/tools/2/saga/compensation/arguments/contactId", "must start with $.args")]
    [InlineData("\"saga\": { \"role\": \"retriable\" },\n      \"approval\"", "\"approval\"", "/tools/3/saga", "is required for a tool that is not read-only")]
    public void Parse_RuleBrokenInSampleManifest_ReportsOneErrorWithPointer(string original, string replacement, string pointer, string reason)
    {
        var json = TestTools.Sample("crm.json");
        Assert.Contains(original, json, StringComparison.Ordinal);

        var result = TestTools.Parser().Parse(json.ReplaceFirst(original, replacement), "crm.json");

        var error = Assert.Single(result.Errors);
        Assert.Equal(pointer, error.Pointer);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"idempotency\": { \"header\": \"Idempotency-Key\", \"key\": \"{key}\" }", 120)]
    [InlineData("\"idempotency\": { \"header\": \"Idempotency-Key\", \"key\": \"{key}\", \"inProgressTimeout\": \"45s\" }", 45)]
    public void Parse_InProgressTimeout_DefaultsToTwoMinutesAndTakesTheManifestsValue(string idempotency, int seconds)
    {
        var json = TestTools.Sample("crm.json").ReplaceFirst("\"idempotency\": { \"header\": \"Idempotency-Key\", \"key\": \"{key}\" }", idempotency);

        var result = TestTools.Parser().Parse(json, "crm.json");

        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromSeconds(seconds), result.Tools.Single(t => t.Name == "crm_create_contact").Idempotency!.InProgressTimeout);
    }

    [Theory]
    [InlineData("0s", "must be more than 0 and at most 1h")]
    [InlineData("2h", "must be more than 0 and at most 1h")]
    [InlineData("soon", "must match the pattern ^[0-9]+(ms|s|m|h)$ (got \"soon\")")]
    public void Parse_InProgressTimeoutOutOfBounds_IsRefusedAtItsPointer(string value, string reason)
    {
        var json = TestTools.Sample("crm.json").ReplaceFirst("\"idempotency\": { \"header\": \"Idempotency-Key\", \"key\": \"{key}\" }",
            $"\"idempotency\": {{ \"header\": \"Idempotency-Key\", \"key\": \"{{key}}\", \"inProgressTimeout\": \"{value}\" }}");

        var error = Assert.Single(TestTools.Parser().Parse(json, "crm.json").Errors);

        Assert.Equal("/tools/2/idempotency/inProgressTimeout", error.Pointer);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CredentialInHeaders_IsRefusedInFavourOfAuth()
    {
        var json = TestTools.Sample("crm.json").ReplaceFirst("\"path\": \"/contacts/{contactId}\" }", "\"path\": \"/contacts/{contactId}\", \"headers\": { \"X-Api-Key\": \"abc123\" } }");

        var error = Assert.Single(TestTools.Parser().Parse(json, "crm.json").Errors);

        Assert.Equal("/tools/1/binding/http/headers/X-Api-Key", error.Pointer);
        Assert.Contains("credentials go in auth as a secret reference", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HandlerBindingWithRegisteredHandlers_LoadsBothTools()
    {
        var handlers = new IToolHandler[]
        {
            new DelegateToolHandler("clock.now", isReadOnly: true, (_, _) => Task.FromResult(default(System.Text.Json.JsonElement))),
            new DelegateToolHandler("ledger.append", isReadOnly: false, (_, _) => Task.FromResult(default(System.Text.Json.JsonElement))),
        };

        var result = TestTools.Parser(null, handlers).Parse(TestTools.Fixture("good-handler.json"), "good-handler.json");

        Assert.Empty(result.Errors);
        Assert.Equal(["clock_now", "ledger_append"], result.Tools.Select(t => t.Name));
    }

    [Fact]
    public void Parse_ReadOnlyToolOnWritingHandler_IsRefused()
    {
        var handlers = new IToolHandler[]
        {
            new DelegateToolHandler("clock.now", isReadOnly: false, (_, _) => Task.FromResult(default(System.Text.Json.JsonElement))),
            new DelegateToolHandler("ledger.append", isReadOnly: false, (_, _) => Task.FromResult(default(System.Text.Json.JsonElement))),
        };

        var error = Assert.Single(TestTools.Parser(null, handlers).Parse(TestTools.Fixture("good-handler.json"), "good-handler.json").Errors);

        Assert.Equal("/tools/0/effects/readOnly", error.Pointer);
        Assert.Contains("handler 'clock.now' is not registered as read-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnregisteredHandler_IsRefusedAtTheHandlerName()
    {
        var error = Assert.Single(TestTools.Parser(null, new DelegateToolHandler("clock.now", true, (_, _) => Task.FromResult(default(System.Text.Json.JsonElement))))
            .Parse(TestTools.Fixture("good-handler.json"), "good-handler.json").Errors);

        Assert.Equal("/tools/1/binding/handler/name", error.Pointer);
        Assert.Contains("no handler named 'ledger.append' is registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BaseUrlOverriddenByConfiguration_UsesTheOverride()
    {
        var options = TestTools.Options("http://127.0.0.1:6123");
        options.Services["crm"] = new ToolServiceOptions { BaseUrl = new Uri("http://127.0.0.1:6123/crm") };

        var tool = TestTools.Parser(options).Parse(TestTools.Sample("crm.json"), "crm.json").Tools[0];

        Assert.Equal(new Uri("http://127.0.0.1:6123/crm"), Assert.IsType<HttpToolBinding>(tool.Binding).BaseUri);
    }

    [Fact]
    public void Parse_PlainHttpToRemoteHost_IsRefusedEvenWhenAllowListed()
    {
        var options = TestTools.Options("http://crm.internal");
        options.Services["crm"] = new ToolServiceOptions { BaseUrl = new Uri("http://crm.internal/crm") };

        var error = Assert.Single(TestTools.Parser(options).Parse(TestTools.Sample("crm.json"), "crm.json").Errors);

        Assert.Equal("/http/baseUrl", error.Pointer);
        Assert.Contains("plain http to 'crm.internal' is not allowed", error.Message, StringComparison.Ordinal);
    }
}
