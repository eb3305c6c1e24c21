using Microsoft.DurableTask;

namespace AgentOrchestrator.DurableTask.Tests.Guide;

// docs/ENGINE.md "Write orchestrators and activities": the code between the markers is the page's snippet, verbatim.
// snippet:begin
public sealed record Order(string Id, decimal Amount);

public sealed class ChargeActivity : TaskActivity<Order, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, Order input)
        => Task.FromResult($"charged {input.Id} {input.Amount} EUR"); // a real one calls a payment service, with an idempotency key
}

public sealed class PlaceOrder : TaskOrchestrator<Order, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, Order input)
    {
        var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(5)));
        var charge = await context.CallActivityAsync<string>(nameof(ChargeActivity), input, retry);
        var approver = await context.WaitForExternalEvent<string>("approve", TimeSpan.FromHours(24));
        return $"{charge}, approved by {approver}";
    }
}
// snippet:end
