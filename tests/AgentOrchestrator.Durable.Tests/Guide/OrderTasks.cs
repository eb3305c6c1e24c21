namespace AgentOrchestrator.Durable.Tests.Guide;

/// <summary>The orchestrators and activities of docs/ENGINE.md, as the guide shows them.</summary>
public static class OrderTasks
{
    public static void Register(DurableTaskRegistry tasks) => tasks
        .AddActivity<Order, string>("Charge", (ctx, order) =>
            Task.FromResult($"charged {order!.Id} (key {ctx.IdempotencyKey})"))
        .AddActivity<string, string>("Refund", (ctx, charge) => Task.FromResult($"refunded {charge}"))
        .AddActivity<Order, string>("Ship", (ctx, order) => Task.FromResult($"{order!.Id}:{(int)order.Amount / 4}"))
        .AddOrchestrator<Order, string>("Shipping", async (ctx, order) =>
            await ctx.CallActivityAsync<string>("Ship", order) ?? "")
        .AddOrchestrator<Order, string>("PlaceOrder", async (ctx, order) =>
        {
            var retry = new TaskOptions { Retry = new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(5)) };
            var charge = await ctx.CallActivityAsync<string>("Charge", order, retry);
            try
            {
                var approver = await ctx.WaitForExternalEvent<string>("approve", timeout: TimeSpan.FromHours(24));
                var shipment = await ctx.CallSubOrchestratorAsync<string>("Shipping", order);
                return $"{charge}, approved by {approver}, shipped as {shipment}";
            }
            catch (TimeoutException)
            {
                return await ctx.CallActivityAsync<string>("Refund", charge) ?? "";
            }
        })
        .AddOrchestrator<CountState, int>("CountTo", async (ctx, state) =>
        {
            await ctx.CreateTimer(TimeSpan.FromMilliseconds(10));
            if (state!.Count + 1 < state.Target)
            {
                ctx.ContinueAsNew(state with { Count = state.Count + 1 });
            }

            return state.Count + 1;
        });
}
