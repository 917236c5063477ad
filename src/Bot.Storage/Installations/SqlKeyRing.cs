using Bot.Core.Installations;
using Dapper;

namespace Bot.Storage.Installations;

/// <summary>The Data Protection key ring in the data_protection_keys table. Keys are only ever added, never changed.</summary>
public sealed class SqlKeyRing(IStoreConnections database) : IKeyRingStore
{
    public IReadOnlyList<string> ReadAll()
    {
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY name").ToList();
    }

    public void Add(string name, string xml)
    {
        using var connection = database.OpenAsync(Durability.Full, CancellationToken.None).GetAwaiter().GetResult();
        connection.Execute("INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING", new { name, xml });
    }
}
