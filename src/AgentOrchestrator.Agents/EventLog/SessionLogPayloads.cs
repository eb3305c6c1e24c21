using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace AgentOrchestrator.Agents.EventLog;

/// <summary>
/// Puts record payloads into table rows, or into blobs when they are too long for a row, and reads them back. In a row
/// a payload is split over <c>Data</c>, <c>Data1</c>, <c>Data2</c>... (a string property holds at most 32,768
/// characters); a spilled one leaves <c>DataBlob</c>, the blob's name, instead.
/// </summary>
internal sealed class SessionLogPayloads(BlobContainerClient container, int maxInlineChars)
{
    /// <summary>Characters per property, under the 64 KiB (32,768 UTF-16 characters) limit of a string property.</summary>
    public const int CharsPerProperty = 32_000;

    private const string DataProperty = "Data";
    private const string BlobProperty = "DataBlob";
    private const int Parallelism = 8;

    private readonly Lock _gate = new();
    private Task? _containerCreated;

    /// <summary>The container's address, for error messages (no credentials).</summary>
    public Uri Endpoint => new(container.Uri.GetLeftPart(UriPartial.Path));

    /// <summary>True when <paramref name="data"/> is too long for a row.</summary>
    public bool Spills(string data) => data.Length > maxInlineChars;

    /// <summary>
    /// Splits a payload over the row's data properties, never between the two halves of a surrogate pair (storage
    /// would replace a lone half).
    /// </summary>
    public static void SetInline(TableEntity row, string data)
    {
        var start = 0;
        var part = 0;
        do
        {
            var length = Math.Min(CharsPerProperty, data.Length - start);
            if (start + length < data.Length && char.IsHighSurrogate(data[start + length - 1]))
            {
                length--;
            }

            row[part == 0 ? DataProperty : DataProperty + part] = data.Substring(start, length);
            start += length;
            part++;
        }
        while (start < data.Length);
    }

    public static void SetBlob(TableEntity row, string blobName) => row[BlobProperty] = blobName;

    /// <summary>The blob a row's payload spilled to, or null.</summary>
    public static string? BlobOf(TableEntity row) => row.GetString(BlobProperty);

    /// <summary>Writes a payload to a blob (creating the container the first time).</summary>
    public async Task UploadAsync(string blobName, string data, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        await container.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(data), overwrite: true, cancellationToken);
    }

    /// <summary>A row's payload, from its blob when it spilled; null when that blob is gone (the log is being deleted).</summary>
    public async Task<string?> ReadAsync(TableEntity row, CancellationToken cancellationToken)
    {
        if (BlobOf(row) is { } blobName)
        {
            try
            {
                return (await container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken)).Value.Content.ToString();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
        }

        var first = row.GetString(DataProperty) ?? string.Empty;
        if (row.GetString(DataProperty + 1) is null)
        {
            return first;
        }

        var parts = new List<string> { first };
        for (var part = 1; row.GetString(DataProperty + part) is { } next; part++)
        {
            parts.Add(next);
        }

        return string.Concat(parts);
    }

    /// <summary>The payloads of <paramref name="rows"/>, reading up to eight blobs at once; null where a blob is gone.</summary>
    public async Task<string?[]> ReadAllAsync(IReadOnlyList<TableEntity> rows, CancellationToken cancellationToken)
    {
        var payloads = new string?[rows.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, rows.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => payloads[i] = await ReadAsync(rows[i], ct));
        return payloads;
    }

    /// <summary>Deletes every blob whose name starts with <paramref name="prefix"/>; returns how many.</summary>
    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        try
        {
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
            {
                names.Add(blob.Name);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return 0; // No container: nothing ever spilled.
        }

        await DeleteAsync(names, cancellationToken);
        return names.Count;
    }

    /// <summary>Deletes the named blobs (those already gone are fine).</summary>
    public Task DeleteAsync(IReadOnlyCollection<string> blobNames, CancellationToken cancellationToken)
        => Parallel.ForEachAsync(
            blobNames,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (name, ct) => await container.DeleteBlobIfExistsAsync(name, cancellationToken: ct));

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        Task created;
        lock (_gate)
        {
            created = _containerCreated ??= container.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
        }

        try
        {
            await created.WaitAsync(cancellationToken);
        }
        catch (Exception) when (created.IsFaulted || created.IsCanceled)
        {
            // Let the next upload try again rather than fail for good on one bad moment.
            lock (_gate)
            {
                if (_containerCreated == created)
                {
                    _containerCreated = null;
                }
            }

            throw;
        }
    }
}
