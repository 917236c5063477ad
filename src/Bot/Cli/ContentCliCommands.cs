using System.CommandLine;
using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Incidents.Editing;
using Bot.Storage;
using Bot.Storage.Migrations;

namespace Bot.Cli;

/// <summary>
/// The editors' verbs at the command line, twins of the chat ones (<c>bot incident new|edit|event|source|remove|restore|undo|history</c>),
/// and the store's safety copies (<c>bot export</c>, <c>bot backup</c>). Edits run through the same router and operations as chat.
/// </summary>
internal static class ContentCliCommands
{
    public static void AddTo(RootCommand root, Command incident, Option<bool> json, CliIo io)
    {
        incident.Subcommands.Add(FormCommand("new", "Create an incident (fields from options or --file fields.json)", json, io, needsName: false));
        incident.Subcommands.Add(FormCommand("edit", "Change an incident's title, summary, status, aliases or category (--file patch.json, or options)", json, io, needsName: true));

        var eventName = new Argument<string>("incident");
        var eventDate = new Argument<string>("date") { Description = "2023-02-04, 2023-02 or 2023" };
        var eventText = new Argument<string[]>("text") { Arity = ArgumentArity.OneOrMore };
        var eventUrl = new Option<string?>("--url") { Description = "A link to where it is reported" };
        var addEvent = new Command("event", "Add a dated event to an incident's timeline") { eventName, eventDate, eventText, eventUrl };
        addEvent.SetAction((parse, ct) => EditAsync(
            $"incident event {parse.GetValue(eventName)} {parse.GetValue(eventDate)} {string.Join(' ', parse.GetValue(eventText) ?? [])} {parse.GetValue(eventUrl)}",
            null, parse.GetValue(json), io, ct));
        incident.Subcommands.Add(addEvent);

        var sourceName = new Argument<string>("incident");
        var sourceUrl = new Argument<string>("url");
        var sourceTitle = new Argument<string[]>("title") { Arity = ArgumentArity.ZeroOrMore };
        var addSource = new Command("source", "Add a source (a link, and optionally its title) to an incident") { sourceName, sourceUrl, sourceTitle };
        addSource.SetAction((parse, ct) => EditAsync(
            $"incident source {parse.GetValue(sourceName)} {parse.GetValue(sourceUrl)} {string.Join(' ', parse.GetValue(sourceTitle) ?? [])}",
            null, parse.GetValue(json), io, ct));
        incident.Subcommands.Add(addSource);

        // At a terminal the command itself is the confirmation; restore brings a removed incident back.
        incident.Subcommands.Add(NameCommand("remove", "Remove an incident from cards, digests and answers (restorable)", "incident remove {0} confirm", json, io));
        incident.Subcommands.Add(NameCommand("restore", "Bring a removed incident back", "incident restore {0}", json, io));
        incident.Subcommands.Add(NameCommand("undo", "Revert an incident's last change", "incident undo {0}", json, io));
        incident.Subcommands.Add(NameCommand("history", "Who changed an incident, what and when", "incident history {0}", json, io));

        var exportPath = new Option<string?>("--out") { Description = "Write to this file instead of standard output" };
        var export = new Command("export", "Write every incident as JSON lines that `bot import` reads back") { exportPath };
        export.SetAction((parse, ct) => ExportAsync(parse.GetValue(exportPath), io, ct));
        root.Subcommands.Add(export);

        var backupPath = new Argument<string>("path") { Description = "A new file for the copy" };
        var backup = new Command("backup", "Copy the live database consistently (safe while the bot runs)") { backupPath };
        backup.SetAction((parse, ct) => BackupAsync(parse.GetValue(backupPath)!, io, ct));
        root.Subcommands.Add(backup);
    }

    private static Command NameCommand(string verb, string description, string line, Option<bool> json, CliIo io)
    {
        var name = new Argument<string[]>("incident") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(verb, description) { name };
        command.SetAction((parse, ct) => EditAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, line, string.Join(' ', parse.GetValue(name) ?? [])), null, parse.GetValue(json), io, ct));
        return command;
    }

    /// <summary>new and edit: the form's fields, from options or a JSON file, submitted as the chat form is.</summary>
    private static Command FormCommand(string verb, string description, Option<bool> json, CliIo io, bool needsName)
    {
        var name = new Argument<string>("incident");
        var file = new Option<string?>("--file") { Description = "A JSON object with the fields: title, slug, category, summary, status, aliases" };
        var options = new[] { "title", "slug", "category", "summary", "status", "aliases" }
            .Select(field => new Option<string?>("--" + field) { Description = $"The {field}" }).ToList();
        var command = new Command(verb, description) { file };
        if (needsName) command.Arguments.Add(name);
        foreach (var option in options) command.Options.Add(option);
        command.SetAction(async (parse, ct) =>
        {
            Dictionary<string, string> fields;
            try
            {
                fields = parse.GetValue(file) is { } path ? await ReadFieldsAsync(path, ct) : [];
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
            {
                await io.Error.WriteLineAsync($"bot: cannot read the fields file: {ex.Message}");
                return 1;
            }

            foreach (var option in options)
                if (parse.GetValue(option) is { } value) fields[option.Name[2..]] = value;
            if (fields.Count == 0)
            {
                await io.Error.WriteLineAsync($"bot: incident {verb} needs fields: --title, --summary … or --file fields.json");
                return 1;
            }

            var line = needsName ? $"incident save edit {parse.GetValue(name)}" : "incident save new";
            return await EditAsync(line, fields, parse.GetValue(json), io, ct);
        });
        return command;
    }

    private static async Task<Dictionary<string, string>> ReadFieldsAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException("it must hold one JSON object");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            fields[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                // Aliases may be written as a list, as in the seed files.
                JsonValueKind.Array => string.Join(", ", property.Value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString())),
                JsonValueKind.Null => "",
                _ => throw new InvalidDataException($"'{property.Name}' must be text"),
            };
        }

        return fields;
    }

    /// <summary>Runs an editing command line as the CLI user; exit 0 unless the core refused it.</summary>
    private static Task<int> EditAsync(string commandLine, Dictionary<string, string>? form, bool asJson, CliIo io, CancellationToken cancellationToken) =>
        BotCli.WithServicesAsync(io, seed: true, async services =>
        {
            var router = services.GetRequiredService<CommandRouter>();
            var context = ChatContext.Cli with { UserName = Environment.UserName };
            var message = await router.HandleAsync(new ChatRequest(commandLine.Trim(), context) { Form = form }, cancellationToken);
            await BotCli.PrintAsync(message, asJson, io);
            return message.Kind == MessageKind.Error || message.Title is "No such incident" ? 1 : 0;
        }, cancellationToken);

    private static Task<int> ExportAsync(string? path, CliIo io, CancellationToken cancellationToken) =>
        BotCli.WithServicesAsync(io, seed: true, async services =>
        {
            var exporter = services.GetRequiredService<IncidentExporter>();
            if (path is null) return await exporter.ExportAsync(io.Output, cancellationToken) >= 0 ? 0 : 1;
            int count;
            await using (var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false)))
                count = await exporter.ExportAsync(writer, cancellationToken);
            await io.Error.WriteLineAsync($"Exported {Core.Text.Plural.Of(count, "incident")} to {path}.");
            return 0;
        }, cancellationToken);

    private static Task<int> BackupAsync(string path, CliIo io, CancellationToken cancellationToken) =>
        BotCli.WithServicesAsync(io, seed: false, async services =>
        {
            if (services.StorageProviderOf() == StorageProvider.Postgres)
            {
                // A server's backup is the server's tool: it copies consistently while the bots keep writing.
                await io.Error.WriteLineAsync(
                    "bot: backup copies the SQLite file; with Storage:Provider=Postgres use PostgreSQL's own tools, e.g. pg_dump --format=custom --file=bot.dump <database>");
                return 1;
            }

            try
            {
                await services.GetRequiredService<ISchemaMigrator>().MigrateAsync(cancellationToken);
                await services.GetRequiredService<SqliteBackup>().BackupAsync(path, cancellationToken);
            }
            catch (IOException ex)
            {
                await io.Error.WriteLineAsync($"bot: backup failed: {ex.Message}");
                return 1;
            }

            await io.Output.WriteLineAsync($"Backed up {services.GetRequiredService<SqliteDatabase>().Path} to {Path.GetFullPath(path)}.");
            return 0;
        }, cancellationToken, prepare: false);
}
