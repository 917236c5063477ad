using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Bot.Testing;

/// <summary>
/// A PostgreSQL for tests. With <c>BOT_TEST_POSTGRES</c> set (a connection string to a server the tests may create
/// databases on), that server; otherwise a throw-away cluster of Debian's postgresql-15: <c>initdb</c> into a temp
/// folder, <c>pg_ctl start</c> on a free 127.0.0.1 port with its unix socket in the same folder, run as the
/// <c>postgres</c> user when the tests run as root (the server refuses root). Each caller gets a fresh database;
/// dispose stops the cluster and deletes its folder.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string EnvironmentVariable = "BOT_TEST_POSTGRES";
    public const string BinFolder = "/usr/lib/postgresql/15/bin";

    private readonly string? _folder;
    private readonly bool _asPostgresUser;
    private int _stopped;

    private PostgresServer(string adminConnectionString, string? folder, bool asPostgresUser)
    {
        AdminConnectionString = adminConnectionString;
        _folder = folder;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>Connects to the server's maintenance database as a user allowed to create databases.</summary>
    public string AdminConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } given)
            return new PostgresServer(given, folder: null, asPostgresUser: false);

        var initdb = Path.Combine(BinFolder, "initdb");
        if (OperatingSystem.IsWindows() || !File.Exists(initdb))
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({initdb} is missing): apt-get install postgresql-15, or set {EnvironmentVariable} to a connection string.");

        var asPostgresUser = Environment.UserName == "root";
        var folder = Path.Combine(Path.GetTempPath(), "bot-postgres-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        // The server runs as another user than the tests: it must be able to write here.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        var data = Path.Combine(folder, "data");
        var port = FreePort();
        var server = new PostgresServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=30",
            folder, asPostgresUser);
        try
        {
            await server.RunAsync("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync");
            // Durability settings off: a test cluster is thrown away, and fsync is what makes small commits slow.
            await server.RunAsync("pg_ctl", "-D", data, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "-o",
                $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                "start");
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new, empty database; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "bot_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing whatever is still connected to it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        if (!name.StartsWith("bot_test_", StringComparison.Ordinal)) throw new ArgumentException($"Not a test database: {name}");
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is null || Interlocked.Exchange(ref _stopped, 1) != 0) return;
        try
        {
            if (File.Exists(Path.Combine(_folder, "data", "postmaster.pid")))
                await RunAsync("pg_ctl", "-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop");
        }
        finally
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless; a failing dispose would hide the test results.
            }
        }
    }

    private async Task RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (_asPostgresUser)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", "postgres", "--", Path.Combine(BinFolder, tool) }) start.ArgumentList.Add(argument);
        }
        else
        {
            start.FileName = Path.Combine(BinFolder, tool);
        }

        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var log = _folder is not null && File.Exists(Path.Combine(_folder, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(_folder, "server.log")) : "";
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await error}{await output}{log}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
