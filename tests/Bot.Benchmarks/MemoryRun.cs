using System.Diagnostics;
using Bot.Benchmarks.Load;

namespace Bot.Benchmarks;

/// <summary>
/// The Release host's own memory in local mode with the model loaded: idle once the seed store's vectors are built,
/// then the peak while another process imports generated incidents into the same store and the host builds their
/// vectors, then idle again. Read from /proc (VmRSS, RssAnon, RssFile, VmHWM), as an operator's tools would.
/// </summary>
public static class MemoryRun
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(BenchSettings settings, Arguments args)
    {
        var imported = args.Number("--import", 300);
        var repository = BenchFiles.RepositoryRoot();
        var botDll = Path.Combine(repository, "src", "Bot", "bin", "Release", "net10.0", "bot.dll");
        if (!File.Exists(botDll)) throw new InvalidOperationException($"build first: dotnet build -c Release src/Bot ({botDll} is missing)");
        var temp = Directory.CreateTempSubdirectory("bot-memory-");
        var database = Path.Combine(temp.FullName, "bot.db");
        var url = new Uri($"http://127.0.0.1:{ChildProcess.FreePort()}/");
        var environment = new Dictionary<string, string?>
        {
            ["Storage__Path"] = database,
            ["Seeds__Path"] = Path.Combine(repository, "seeds"),
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Bot.Core.Answers.PassageVectorBuilder"] = "Information",
            ["ASPNETCORE_URLS"] = null,
            ["DOTNET_URLS"] = null,
        };
        var bot = ChildProcess.Start("bot", "dotnet", [botDll, "--urls", url.ToString().TrimEnd('/')], repository, environment, url);
        try
        {
            await bot.WaitReadyAsync("healthz", TimeSpan.FromMinutes(2));
            await VectorsBuiltAsync(bot, times: 1);
            await Task.Delay(Settle);
            Console.WriteLine("| moment | VmRSS | anonymous | file-backed | peak so far (VmHWM) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            Print(bot, "idle, seed store, vectors built");

            var file = await BenchFiles.EnsureJsonLinesAsync(settings with { Count = imported }, Console.Out);
            var import = Stopwatch.StartNew();
            var cli = Process.Start(new ProcessStartInfo("dotnet", [botDll, "import", file]) { WorkingDirectory = repository, Environment = { ["Storage__Path"] = database, ["Seeds__Path"] = Path.Combine(repository, "seeds") } })!;
            await cli.WaitForExitAsync();
            if (cli.ExitCode != 0) throw new InvalidOperationException($"bot import exited {cli.ExitCode}");
            await VectorsBuiltAsync(bot, times: 2);
            Print(bot, $"after importing {imported} incidents and building their vectors ({import.Elapsed.TotalSeconds:F0} s)");
            await Task.Delay(Settle);
            Print(bot, "idle again");
            return 0;
        }
        finally
        {
            await bot.DisposeAsync();
            temp.Delete(recursive: true);
        }
    }

    /// <summary>Waits for the vector builder's "built in" line to have appeared <paramref name="times"/> times in all.</summary>
    private static async Task VectorsBuiltAsync(ChildProcess bot, int times)
    {
        var deadline = Stopwatch.StartNew();
        while (Count(bot.Tail(), "built in") < times)
        {
            if (bot.HasExited || deadline.Elapsed > TimeSpan.FromMinutes(30)) throw new TimeoutException("vectors were not built:\n" + bot.Tail());
            await Task.Delay(500);
        }
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static void Print(ChildProcess bot, string moment) =>
        Console.WriteLine($"| {moment} | {bot.StatusMegabytes("VmRSS"):F0} MB | {bot.StatusMegabytes("RssAnon"):F0} MB | {bot.StatusMegabytes("RssFile"):F0} MB | {bot.StatusMegabytes("VmHWM"):F0} MB |");
}
