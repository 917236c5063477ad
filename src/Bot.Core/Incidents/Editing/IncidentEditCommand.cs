using System.Globalization;
using Bot.Core.Chat;
using Bot.Core.Incidents.Import;
using Microsoft.Extensions.Options;

namespace Bot.Core.Incidents.Editing;

/// <summary>
/// The editing verbs of /incident: new, edit, event, source, history, undo, remove, restore, and
/// the form submissions they lead to. Translates chat into <see cref="IncidentEditor"/> calls and
/// its results into replies; every platform reaches it through the router.
/// </summary>
public sealed class IncidentEditCommand(IncidentEditor editor, IOptions<ContentOptions> options, TimeProvider time, CommandNames names) : ICommandHandler
{
    public IReadOnlyList<string> Names { get; } =
        ["incident new", "incident edit", "incident event", "incident source", "incident history", "incident undo",
         "incident remove", "incident restore", "incident save", "incident add-message"];

    public string Usage =>
        $"{names.Slash("incident", "new")} · {names.Slash("incident", "edit|history|undo|remove|restore <name>")} · "
        + $"{names.Slash("incident", "event <name> <date> <text> [url]")} · {names.Slash("incident", "source <name> <url> [title]")}";

    public async Task<ChatMessage> HandleAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var (verb, rest) = Split(request.Arguments);
        if (verb != "history" && !options.Value.MayEdit(request.Context))
            return ChatMessage.Error("Only editors can change incidents. Ask someone with Manage Server (Discord) or a workspace admin (Slack), or an editor the bot's settings name.", "Not an editor");

        var author = Author(request.Context);
        return verb switch
        {
            "new" => NewForm(),
            "edit" => await EditFormAsync(rest, cancellationToken),
            "event" => await AddEventAsync(rest, author, cancellationToken),
            "source" => await AddSourceAsync(rest, author, cancellationToken),
            "history" => await HistoryAsync(rest, cancellationToken),
            "undo" => Reply(await editor.UndoAsync(rest, author, cancellationToken)),
            "remove" => await ConfirmRemoveAsync(rest, author, cancellationToken),
            "restore" => Reply(await editor.RestoreAsync(rest, author, cancellationToken)),
            "add-message" => MessageForm(request),
            "save" => await SaveAsync(request, rest, author, cancellationToken),
            _ => ChatMessage.Error(Usage),
        };
    }

    private ChatMessage NewForm() => new()
    {
        Kind = MessageKind.Notice,
        Ephemeral = true,
        Text = $"Fill in the new incident's form. (Where forms are not available: {names.Slash("incident", "new")} is a form; the CLI takes `bot incident new --file incident.json`.)",
        Form = new ChatForm("incident save new", "New incident",
        [
            new("title", "Title", MaxLength: EditLimits.Title),
            new("slug", "Short name (slug)", Required: false, MaxLength: 80, Placeholder: "proposed from the title, e.g. spy-balloon"),
            new("category", "Category", MaxLength: 20, Placeholder: string.Join(", ", IncidentJson.Categories.Order())),
            new("summary", "Summary", Multiline: true, MaxLength: EditLimits.Summary),
            new("aliases", "Other names (comma separated)", Required: false, Multiline: true, MaxLength: 1000),
        ]),
    };

    private async Task<ChatMessage> EditFormAsync(string query, CancellationToken cancellationToken)
    {
        var (current, notFound) = await editor.OpenAsync(query, cancellationToken);
        if (current is null) return Reply(notFound!);
        var fields = IncidentFields.From(current.Incident);
        return new ChatMessage
        {
            Kind = MessageKind.Notice,
            Ephemeral = true,
            Text = $"Edit {current.Incident.Slug} in the form.",
            Form = new ChatForm(
                string.Create(CultureInfo.InvariantCulture, $"incident save edit {current.Incident.Slug} {current.Revision}"),
                Clip($"Edit {current.Incident.Slug}", 45),
            [
                new("title", "Title", fields.Title, MaxLength: EditLimits.Title),
                new("summary", "Summary", fields.Summary, Multiline: true, MaxLength: EditLimits.Summary),
                new("status", "Status", fields.Status, Required: false, MaxLength: EditLimits.Status),
                new("aliases", "Other names (comma separated)", fields.Aliases, Required: false, Multiline: true, MaxLength: 1000),
                new("category", "Category", fields.Category, MaxLength: 20),
            ]),
        };
    }

    /// <summary>"balloon 2023-02-10 Debris analysed https://…": name, date, text, and a trailing link if there is one.</summary>
    private async Task<ChatMessage> AddEventAsync(string rest, ContentAuthor author, CancellationToken cancellationToken)
    {
        var (name, afterName) = Split(rest);
        var (date, text) = Split(afterName);
        var (body, url) = TrailingUrl(text);
        if (name.Length == 0 || date.Length == 0)
            return ChatMessage.Error($"Usage: {names.Slash("incident", "event <name> <date> <text> [url]")}, for example: {names.Slash("incident", "event balloon 2023-02-10 Debris analysis published")}", "Add an event");
        return Reply(await editor.AddEventAsync(name, date, body, url, author, cancellationToken));
    }

    private async Task<ChatMessage> AddSourceAsync(string rest, ContentAuthor author, CancellationToken cancellationToken)
    {
        var (name, afterName) = Split(rest);
        var (url, title) = Split(afterName);
        if (name.Length == 0 || url.Length == 0)
            return ChatMessage.Error($"Usage: {names.Slash("incident", "source <name> <url> [title]")}", "Add a source");
        return Reply(await editor.AddSourceAsync(name, url, title, author, cancellationToken));
    }

    private async Task<ChatMessage> HistoryAsync(string query, CancellationToken cancellationToken)
    {
        var (changes, notFound) = await editor.HistoryAsync(query, cancellationToken);
        if (notFound is not null) return Reply(notFound);
        if (changes.Count == 0) return ChatMessage.Notice("No changes are recorded for that incident.");
        var slug = changes[0].Slug;
        return new ChatMessage
        {
            Kind = MessageKind.Card,
            Emoji = "📝",
            Title = $"History of {slug}",
            Sections = [new MessageSection($"Latest {Text.Plural.Of(changes.Count, "change")}, newest first", changes.Select(Line).ToList())],
            Buttons = [new("Card", $"incident {slug}"), new("Undo the last change", $"incident undo {slug}")],
            Ephemeral = true,
            IncidentSlug = slug,
        };

        static MessageLine Line(IncidentChange change) => new(
            change.At.UtcDateTime.ToString("d MMM yyyy HH:mm", CultureInfo.InvariantCulture),
            $"{change.Action} by {change.Author.Describe()}{Changed(change.Before, change.After)}");
    }

    private async Task<ChatMessage> ConfirmRemoveAsync(string rest, ContentAuthor author, CancellationToken cancellationToken)
    {
        var (name, confirmation) = Split(rest);
        var (current, notFound) = await editor.OpenAsync(name, cancellationToken);
        if (current is null) return Reply(notFound!);
        var slug = current.Incident.Slug;
        if (confirmation == "confirm")
            return Reply(await editor.RemoveAsync(slug, author, cancellationToken));
        return new ChatMessage
        {
            Kind = MessageKind.Notice,
            Emoji = "🗑️",
            Title = $"Remove {slug}?",
            Text = $"“{current.Incident.Title}” will disappear from cards, digests and answers. {names.Slash("incident", "restore " + slug)} brings it back.",
            Buttons = [new($"Remove {slug}", $"incident remove {slug} confirm")],
            Ephemeral = true,
        };
    }

    /// <summary>"Add to incident" on a message: the adapter passes the message's text, link and date; the form asks which incident.</summary>
    private ChatMessage MessageForm(ChatRequest request)
    {
        var form = request.Form ?? new Dictionary<string, string>();
        var date = form.GetValueOrDefault("date") is { } given && DateOnly.TryParse(given, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return new ChatMessage
        {
            Kind = MessageKind.Notice,
            Ephemeral = true,
            Text = "Choose the incident this message belongs to.",
            Form = new ChatForm("incident save message", "Add to incident",
            [
                new("incident", "Incident (name or slug)", form.GetValueOrDefault("incident"), MaxLength: 100, Placeholder: "e.g. balloon"),
                new("kind", "Add as: event or fact", "event", MaxLength: 5),
                new("date", "Date (for an event)", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), MaxLength: 10),
                new("text", "Text", Clip(EditLimits.Clean(form.GetValueOrDefault("text")), EditLimits.EventText), Multiline: true, MaxLength: EditLimits.EventText),
                new("link", "Link to the message", form.GetValueOrDefault("link"), Required: false, MaxLength: EditLimits.Url),
            ]),
        };
    }

    private async Task<ChatMessage> SaveAsync(ChatRequest request, string rest, ContentAuthor author, CancellationToken cancellationToken)
    {
        var form = request.Form;
        if (form is null) return ChatMessage.Error($"Nothing to save: open the form with {names.Slash("incident", "new")} or {names.Slash("incident", "edit <name>")}.");
        string? Value(string id) => form.TryGetValue(id, out var value) ? value : null;
        var (what, target) = Split(rest);
        switch (what)
        {
            case "new":
                return Reply(await editor.CreateAsync(new IncidentFields
                {
                    Title = Value("title"),
                    Slug = Value("slug"),
                    Category = Value("category"),
                    Summary = Value("summary"),
                    Aliases = Value("aliases"),
                }, author, cancellationToken));
            case "edit":
                var (slug, revisionText) = Split(target);
                long? revision = long.TryParse(revisionText, NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : null;
                return Reply(await editor.EditAsync(slug, new IncidentFields
                {
                    Title = Value("title"),
                    Summary = Value("summary"),
                    Status = Value("status"),
                    Aliases = Value("aliases"),
                    Category = Value("category"),
                }, revision, author, cancellationToken));
            case "message":
                var kind = (Value("kind") ?? "event").Trim().ToLowerInvariant();
                if (kind is not ("event" or "fact")) return Reply(new EditResult.Invalid("kind", "Add it as “event” or “fact”."));
                if (kind == "event")
                    return Reply(await editor.AddEventAsync(Value("incident") ?? "", Value("date"), Value("text"), NullIfBlank(Value("link")), author, cancellationToken));
                var date = DateOnly.TryParse(Value("date"), CultureInfo.InvariantCulture, out var d) ? d : DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
                return Reply(await editor.AddMessageAsync(Value("incident") ?? "", kind, Value("text"), Value("link"), date, author, cancellationToken));
            default:
                return ChatMessage.Error("That form is not one I know: open it again.");
        }
    }

    /// <summary>Every editing result as a reply: what was done, the field at fault, or the newer version to start from.</summary>
    public ChatMessage Reply(EditResult result) => result switch
    {
        EditResult.Done { Incident: { } incident } done => new ChatMessage
        {
            Kind = MessageKind.Notice,
            Emoji = "✅",
            Title = done.Summary,
            Text = incident.Title,
            Buttons = [new("Card", $"incident {incident.Slug}"), new("History", $"incident history {incident.Slug}"), new("Undo", $"incident undo {incident.Slug}")],
            IncidentSlug = incident.Slug,
        },
        EditResult.Done done => new ChatMessage { Kind = MessageKind.Notice, Emoji = "✅", Title = done.Summary },
        EditResult.Invalid invalid => ChatMessage.Error(invalid.Message, $"Not saved: check the {invalid.Field}"),
        EditResult.NotFound notFound => new ChatMessage
        {
            Kind = MessageKind.Notice,
            Emoji = "🤷",
            Title = "No such incident",
            Text = notFound.Suggestions.Count == 0
                ? $"No incident is named “{Clip(notFound.Query, 60)}”. {names.Slash("incident", "list")} shows them all."
                : $"No incident is named “{Clip(notFound.Query, 60)}”. Did you mean {string.Join(", ", notFound.Suggestions)}?",
            Buttons = notFound.Suggestions.Select(s => new MessageButton(s, $"incident {s}")).ToList(),
            Ephemeral = true,
        },
        EditResult.Conflict conflict => IncidentCards.Card(conflict.Current.Incident) with
        {
            Kind = MessageKind.Notice,
            Title = $"Not saved: {conflict.Current.Incident.Slug} changed since you opened it",
            Footer = "This is the version now in the store. Open the form again to make your change on top of it.",
            Buttons = [new("Edit again", $"incident edit {conflict.Current.Incident.Slug}"), new("History", $"incident history {conflict.Current.Incident.Slug}")],
            Ephemeral = true,
        },
        EditResult.Refused refused => ChatMessage.Error(refused.Message),
        _ => ChatMessage.Error("That could not be done."),
    };

    private static ContentAuthor Author(ChatContext context) =>
        new(context.Platform == "cli" ? ContentSource.Cli : ContentSource.Chat, context.Platform, context.Workspace, context.User,
            context.UserName ?? (context.Platform == "cli" ? Environment.UserName : null));

    private static string Changed(Incident? before, Incident? after)
    {
        if (before is null || after is null) return "";
        var changed = new List<string>();
        if (before.Title != after.Title) changed.Add("title");
        if (before.Summary != after.Summary) changed.Add("summary");
        if (before.Status != after.Status) changed.Add("status");
        if (before.Category != after.Category) changed.Add("category");
        if (!before.Aliases.SequenceEqual(after.Aliases)) changed.Add("aliases");
        if (before.Timeline.Count != after.Timeline.Count) changed.Add("timeline");
        if (before.Sources.Count != after.Sources.Count) changed.Add("sources");
        if (before.Facts.Count != after.Facts.Count) changed.Add("facts");
        return changed.Count == 0 ? "" : $" ({string.Join(", ", changed)})";
    }

    private static (string Head, string Tail) Split(string text)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOfAny([' ', '\t', '\n']);
        return space < 0 ? (trimmed.ToLowerInvariant(), "") : (trimmed[..space].ToLowerInvariant(), trimmed[(space + 1)..].Trim());
    }

    private static (string Text, string? Url) TrailingUrl(string text)
    {
        var space = text.LastIndexOf(' ');
        var last = space < 0 ? text : text[(space + 1)..];
        return last.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || last.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? (space < 0 ? "" : text[..space].Trim(), last)
            : (text, null);
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
