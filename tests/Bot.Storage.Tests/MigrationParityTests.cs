using Bot.Storage.Migrations;
using Bot.Storage.Postgres;

namespace Bot.Storage.Tests;

/// <summary>Every schema change is made for both providers: whoever adds a SQLite migration cannot forget its PostgreSQL twin.</summary>
public class MigrationParityTests
{
    [Fact]
    public void Every_SQLite_migration_has_a_PostgreSQL_twin_with_the_same_number_and_name()
    {
        var sqlite = Migrator.Scripts.Select(s => $"{s.Version:D4}_{s.Name}").ToList();
        var postgres = PostgresMigrator.Scripts.Select(s => $"{s.Version:D4}_{s.Name}").ToList();

        Assert.NotEmpty(sqlite);
        Assert.True(sqlite.SequenceEqual(postgres),
            $"Migrations/ and Migrations/Postgres/ differ: SQLite only {string.Join(", ", sqlite.Except(postgres))}; " +
            $"PostgreSQL only {string.Join(", ", postgres.Except(sqlite))}. Write the missing twin with the same number and name.");
    }

    [Fact]
    public void Neither_dialect_has_an_empty_script()
    {
        Assert.All(Migrator.Scripts.Concat(PostgresMigrator.Scripts), s => Assert.False(string.IsNullOrWhiteSpace(s.Sql), $"{s.Version} {s.Name} is empty"));
    }
}
