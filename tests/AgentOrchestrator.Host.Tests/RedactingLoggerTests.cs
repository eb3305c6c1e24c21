using AgentOrchestrator.Api.Logging;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Host.Tests;

/// <summary>What reaches a log provider through the host's logger factory: templates as written, data masked.</summary>
public sealed partial class RedactingLoggerTests : IDisposable
{
    private const string Card = "4000000000000002";
    private readonly LogCapture _capture = new();
    private readonly ILoggerFactory _factory;
    private readonly ILogger _logger;

    public RedactingLoggerTests()
    {
        _factory = new RedactingLoggerFactory(LoggerFactory.Create(b => b.AddProvider(_capture).SetMinimumLevel(LogLevel.Trace)));
        _logger = _factory.CreateLogger("Test");
    }

    [Fact]
    public void Log_CardInTemplateValue_MessageAndValueMaskedOtherValuesKeepTheirType()
    {
        Charging(_logger, $"card {Card}", 42);

        var entry = Assert.Single(_capture.Entries);
        Assert.Equal("Charging card ••••0002 for 42.00 EUR", entry.Message);
        Assert.Equal("card ••••0002", entry.Values.Single(v => v.Key == "What").Value);
        Assert.Equal(42m, entry.Values.Single(v => v.Key == "Amount").Value);
        Assert.Equal("Charging {What} for {Amount:0.00} EUR", entry.Values.Single(v => v.Key == "{OriginalFormat}").Value);
    }

    [Fact]
    public void Log_TemplateOwnText_IsKeptAndOneParameterFillsTwoHoles()
    {
        // The demo hint's template names the test card itself: code, not data.
        Hint(_logger, "http://127.0.0.1:5080");

        Assert.Equal($"Try {Card} at http://127.0.0.1:5080/v1 or http://127.0.0.1:5080/admin", Assert.Single(_capture.Entries).Message);
    }

    [Fact]
    public void Log_ExtensionMethodWithArguments_FormatsThemInOrderMasked()
    {
#pragma warning disable CA1848, CA2254 // the framework's own extension methods are what third-party code calls
        _logger.LogWarning("{Tool} failed for {Key}: {Error}", "billing_charge_payment", "s-1:1:c", $"card {Card} declined");
#pragma warning restore CA1848, CA2254

        Assert.Equal("billing_charge_payment failed for s-1:1:c: card ••••0002 declined", Assert.Single(_capture.Entries).Message);
    }

    [Fact]
    public void Log_ExceptionScopeAndPlainText_AreMasked()
    {
        using (_logger.BeginScope(new Dictionary<string, object?> { ["Path"] = $"/pay?card={Card}" }.ToList()))
        {
            _logger.Log(LogLevel.Error, new EventId(1), $"plain text with {Card}", new InvalidOperationException($"upstream said: card {Card} refused"), (s, _) => s);
        }

        var entry = Assert.Single(_capture.Entries);
        Assert.DoesNotContain(Card, entry.Line, StringComparison.Ordinal);
        Assert.Contains("••••0002", entry.Message, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException: upstream said: card ••••0002 refused", entry.Exception!.ToString(), StringComparison.Ordinal);
        Assert.Contains("••••0002", entry.Line[entry.Line.IndexOf("scope", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    public void Dispose() => _factory.Dispose();

    [LoggerMessage(1, LogLevel.Information, "Charging {What} for {Amount:0.00} EUR")]
    private static partial void Charging(ILogger logger, string what, decimal amount);

    [LoggerMessage(2, LogLevel.Information, "Try 4000000000000002 at {Address}/v1 or {Address}/admin")]
    private static partial void Hint(ILogger logger, string address);
}
