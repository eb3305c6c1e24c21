namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>The versioned schema, the task hub a file belongs to, and the settings' checks.</summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task Create_FileOfAnotherTaskHub_IsRefused()
    {
        await using var hub = await TestHub.StartAsync();
        using var other = hub.NewService(s => s.TaskHubName = "someone-else");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(other.CreateIfNotExistsAsync);

        Assert.Contains("someone-else", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NewerSchemaVersion_IsRefused()
    {
        await using var hub = await TestHub.StartAsync();
        hub.Execute("UPDATE schema_version SET version = 99");
        using var newer = hub.NewService();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(newer.CreateIfNotExistsAsync);

        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_FileWithForeignTablesOfOurNames_IsRefused()
    {
        await using var hub = await TestHub.StartAsync();
        var path = Path.Combine(hub.Folder, "foreign.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE instances (instance_id TEXT PRIMARY KEY)";
            command.ExecuteNonQuery();
        }

        using var service = new SqliteOrchestrationService(new SqliteOrchestrationServiceSettings { DatabasePath = path });

        await Assert.ThrowsAsync<InvalidOperationException>(service.CreateIfNotExistsAsync);
    }

    [Fact]
    public async Task CreateAsync_Recreate_EmptiesTheTaskHub()
    {
        await using var hub = await TestHub.StartAsync();
        await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 1);

        await hub.Service.CreateAsync(recreateInstanceStore: true);

        Assert.Equal(0, hub.Count("SELECT COUNT(*) FROM instances"));
        Assert.Equal(SqliteSchema.Version, hub.Count("SELECT version FROM schema_version"));
    }

    [Theory]
    [InlineData(nameof(SqliteOrchestrationServiceSettings.LockTimeout))]
    [InlineData(nameof(SqliteOrchestrationServiceSettings.MaxDeliveryCount))]
    [InlineData(nameof(SqliteOrchestrationServiceSettings.DatabasePath))]
    public void Settings_OutOfRange_AreRefusedByName(string setting)
    {
        var settings = new SqliteOrchestrationServiceSettings();
        switch (setting)
        {
            case nameof(SqliteOrchestrationServiceSettings.LockTimeout):
                settings.LockTimeout = TimeSpan.FromMilliseconds(10);
                break;
            case nameof(SqliteOrchestrationServiceSettings.MaxDeliveryCount):
                settings.MaxDeliveryCount = 0;
                break;
            default:
                settings.DatabasePath = " ";
                break;
        }

        var error = Assert.Throws<ArgumentException>(() => new SqliteOrchestrationService(settings));

        Assert.Equal(setting, error.ParamName);
    }
}
