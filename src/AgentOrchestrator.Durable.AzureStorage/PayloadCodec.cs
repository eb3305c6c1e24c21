using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// Writes payload strings into table properties, or into a blob when they are too long for a row; reads them back.
/// A spilled property is replaced by <c>{name}Blob</c>, the blob's name under the payload container.
/// </summary>
internal sealed class PayloadCodec(BlobContainerClient container, int maxInlineChars)
{
    private const string BlobSuffix = "Blob";
    private const string HashSuffix = "Sha";

    public BlobContainerClient Container => container;

    /// <summary>
    /// Sets the property, spilling it to a blob named after the row when it is too long. A long value that is
    /// already spilled unchanged (same hash) keeps its blob, so rewriting a status row does not re-upload its input.
    /// </summary>
    public async Task SetAsync(TableEntity entity, string name, string? value, CancellationToken cancellationToken)
    {
        var hash = value is { Length: > 0 } && value.Length > maxInlineChars ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value))) : null;
        if (hash is not null && entity.GetString(name + BlobSuffix) is not null && entity.GetString(name + HashSuffix) == hash)
        {
            return;
        }

        entity.Remove(name);
        entity.Remove(name + BlobSuffix);
        entity.Remove(name + HashSuffix);
        if (value is null)
        {
            return;
        }

        if (hash is null)
        {
            entity[name] = value;
            return;
        }

        entity[name + HashSuffix] = hash;
        var blobName = $"{entity.PartitionKey}/{entity.RowKey}/{name}-{Guid.NewGuid():N}";
        await container.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(value), overwrite: true, cancellationToken);
        entity[name + BlobSuffix] = blobName;
    }

    /// <summary>Reads the property, from its blob when it was spilled.</summary>
    public async Task<string?> GetAsync(TableEntity entity, string name, CancellationToken cancellationToken)
    {
        if (entity.GetString(name + BlobSuffix) is { } blobName)
        {
            var content = await container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToString();
        }

        return entity.GetString(name);
    }

    /// <summary>Deletes every spilled payload of an instance's partition.</summary>
    public async Task DeletePartitionAsync(string partitionKey, CancellationToken cancellationToken)
    {
        await foreach (var blob in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, partitionKey + "/", cancellationToken))
        {
            try
            {
                await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
            }
            catch (RequestFailedException)
            {
                // Best effort: an orphaned payload blob costs storage, not correctness.
            }
        }
    }
}
