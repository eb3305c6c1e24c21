using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AgentOrchestrator.Agents.Model;

/// <summary>Makes the SDK client for one deployment. The SDK's own retries are off so the gateway's policy
/// (<see cref="ResilientChatClient"/>) is the only one in force, and its network timeout is the gateway's attempt timeout.</summary>
internal static class ModelClientFactory
{
    public static IChatClient Create(ModelGatewayOptions options, string deployment)
    {
        var endpoint = new Uri(options.Endpoint!);
        if (options.EffectiveProvider == ModelProvider.AzureOpenAI)
        {
            var azureOptions = new AzureOpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(maxRetries: 0), NetworkTimeout = options.AttemptTimeout };
            return new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey!), azureOptions).GetChatClient(deployment).AsIChatClient();
        }

        var openAIOptions = new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = new ClientRetryPolicy(maxRetries: 0), NetworkTimeout = options.AttemptTimeout };
        // Local OpenAI-compatible servers often need no key, but the client insists on one.
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? "not-needed" : options.ApiKey;
        return new OpenAIClient(new ApiKeyCredential(key), openAIOptions).GetChatClient(deployment).AsIChatClient();
    }
}
