using System.Globalization;
using Bot.Core.Chat;
using Bot.Core.Incidents.Import;

namespace Bot.Core.Incidents.Editing;

/// <summary>
/// The one set of operations that changes the content, whoever asks: chat (any platform), the CLI.
/// Validates what people typed, names the field at fault, and leaves concurrency and the audit
/// log to the store, which writes both in one transaction.
/// </summary>
public sealed class IncidentEditor(IIncidentEditStore store, IncidentFinder finder, TimeProvider time, CommandNames names)
{
    public const int HistoryLimit = 20;

    public async Task<EditResult> CreateAsync(IncidentFields fields, ContentAuthor author, CancellationToken cancellationToken)
    {
        var title = EditLimits.Clean(fields.Title);
        var slug = string.IsNullOrWhiteSpace(fields.Slug) ? IncidentFields.ProposeSlug(title) : EditLimits.Clean(fields.Slug).ToLowerInvariant();
        var draft = new Incident
        {
            Slug = slug,
            Title = title,
            Category = EditLimits.Clean(fields.Category),
            Summary = EditLimits.Clean(fields.Summary, multiline: true),
            Status = NullIfEmpty(EditLimits.Clean(fields.Status)),
            Aliases = IncidentFields.SplitAliases(fields.Aliases),
        };
        if (Validate(draft) is { } invalid) return invalid;
        var incident = Canonical(draft, out var problem);
        if (incident is null) return new EditResult.Invalid("slug", problem!);

        return await store.CreateAsync(incident, author, cancellationToken) switch
        {
            SaveOutcome.Saved saved => new EditResult.Done(saved.Incident, $"Created {saved.Incident.Slug}."),
            SaveOutcome.SlugTaken { WasRemoved: true } => new EditResult.Invalid("slug",
                $"“{slug}” belongs to a removed incident: {names.Slash("incident", "restore " + slug)} brings it back, or choose another slug."),
            SaveOutcome.SlugTaken => new EditResult.Invalid("slug", $"“{slug}” is already taken: choose another slug."),
            var other => Unexpected(other),
        };
    }

    public async Task<EditResult> EditAsync(string query, IncidentFields fields, long? expectedRevision, ContentAuthor author, CancellationToken cancellationToken)
    {
        var (current, notFound) = await OpenAsync(query, cancellationToken);
        if (current is null) return notFound!;
        var before = current.Incident;
        var after = before with
        {
            Title = fields.Title is null ? before.Title : EditLimits.Clean(fields.Title),
            Category = fields.Category is null ? before.Category : EditLimits.Clean(fields.Category),
            Summary = fields.Summary is null ? before.Summary : EditLimits.Clean(fields.Summary, multiline: true),
            Status = fields.Status is null ? before.Status : NullIfEmpty(EditLimits.Clean(fields.Status)),
            Aliases = fields.Aliases is null ? before.Aliases : IncidentFields.SplitAliases(fields.Aliases),
        };
        if (fields.Slug is { } slug && !string.IsNullOrWhiteSpace(slug) && !string.Equals(EditLimits.Clean(slug), before.Slug, StringComparison.OrdinalIgnoreCase))
            return new EditResult.Invalid("slug", "A slug cannot be changed once an incident exists: add the new name as an alias.");
        return await SaveAsync(after, expectedRevision ?? current.Revision, "edit", author, "Saved", cancellationToken);
    }

    /// <summary>A dated timeline event; the date may be a year, a month or a day, as in the seed files.</summary>
    public async Task<EditResult> AddEventAsync(string query, string? date, string? text, string? url, ContentAuthor author, CancellationToken cancellationToken)
    {
        if (!PartialDate.TryParse(EditLimits.Clean(date), out var when))
            return new EditResult.Invalid("date", $"“{Clip(EditLimits.Clean(date))}” is not a date: write 2023-02-04, 2023-02 or 2023.");
        var cleaned = EditLimits.Clean(text);
        if (cleaned.Length == 0) return new EditResult.Invalid("text", "The event needs a text: what happened on that date?");
        if (cleaned.Length > EditLimits.EventText) return TooLong("text", EditLimits.EventText);
        Source? source = null;
        if (!string.IsNullOrWhiteSpace(url))
        {
            if (!EditLimits.TryUrl(url, out var link, out var problem)) return new EditResult.Invalid("url", $"The link {problem}.");
            source = new Source(Publisher(link!), null, Clip(cleaned, 120), when, link!.AbsoluteUri);
        }

        var (current, notFound) = await OpenAsync(query, cancellationToken);
        if (current is null) return notFound!;
        var incident = current.Incident;
        var after = incident with
        {
            Timeline = [.. incident.Timeline, new TimelineEvent(when, cleaned)],
            Sources = source is null || incident.Sources.Any(s => s.Url == source.Url) ? incident.Sources : [.. incident.Sources, source],
        };
        return await SaveAsync(after, current.Revision, "event", author, $"Added the event of {when.ToDisplayString()} to", cancellationToken);
    }

    public async Task<EditResult> AddSourceAsync(string query, string? url, string? title, ContentAuthor author, CancellationToken cancellationToken)
    {
        if (!EditLimits.TryUrl(url, out var link, out var problem)) return new EditResult.Invalid("url", $"The link {problem}.");
        var cleanedTitle = EditLimits.Clean(title);
        if (cleanedTitle.Length > EditLimits.SourceTitle) return TooLong("title", EditLimits.SourceTitle);
        var (current, notFound) = await OpenAsync(query, cancellationToken);
        if (current is null) return notFound!;
        var incident = current.Incident;
        if (incident.Sources.Any(s => string.Equals(s.Url, link!.AbsoluteUri, StringComparison.Ordinal)))
            return new EditResult.Invalid("url", $"{incident.Slug} already cites that link.");
        var today = PartialDate.FromDateOnly(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var source = new Source(Publisher(link!), null, cleanedTitle.Length == 0 ? link!.AbsoluteUri : cleanedTitle, today, link!.AbsoluteUri);
        return await SaveAsync(incident with { Sources = [.. incident.Sources, source] }, current.Revision, "source", author, "Added a source to", cancellationToken);
    }

    /// <summary>
    /// "Add to incident" on a chat message: it becomes a timeline event (on the message's date) or
    /// a fact, and the message itself, by its link, becomes a source.
    /// </summary>
    public async Task<EditResult> AddMessageAsync(
        string query, string kind, string? text, string? link, DateOnly messageDate, ContentAuthor author, CancellationToken cancellationToken)
    {
        var cleaned = EditLimits.Clean(text);
        if (cleaned.Length == 0) return new EditResult.Invalid("text", "The message has no text to add.");
        if (cleaned.Length > EditLimits.EventText) return TooLong("text", EditLimits.EventText);
        var (current, notFound) = await OpenAsync(query, cancellationToken);
        if (current is null) return notFound!;
        var incident = current.Incident;
        var when = PartialDate.FromDateOnly(messageDate);
        var sources = incident.Sources;
        if (EditLimits.TryUrl(link, out var url, out _) && sources.All(s => s.Url != url!.AbsoluteUri))
            sources = [.. sources, new Source($"{author.Platform ?? "chat"} message", author.UserName, Clip(cleaned, 120), when, url!.AbsoluteUri)];
        var after = kind.Equals("fact", StringComparison.OrdinalIgnoreCase)
            ? incident with { Facts = [.. incident.Facts, cleaned], Sources = sources }
            : incident with { Timeline = [.. incident.Timeline, new TimelineEvent(when, cleaned)], Sources = sources };
        return await SaveAsync(after, current.Revision, kind.Equals("fact", StringComparison.OrdinalIgnoreCase) ? "fact" : "event", author,
            "Added the message to", cancellationToken);
    }

    public async Task<EditResult> RemoveAsync(string query, ContentAuthor author, CancellationToken cancellationToken)
    {
        var (current, notFound) = await OpenAsync(query, cancellationToken);
        if (current is null) return notFound!;
        return await store.RemoveAsync(current.Incident.Slug, author, cancellationToken) switch
        {
            SaveOutcome.Removed => new EditResult.Done(null, $"Removed {current.Incident.Slug}. {names.Slash("incident", "restore " + current.Incident.Slug)} brings it back."),
            SaveOutcome.Missing => NotFound(current.Incident.Slug, []),
            var other => Unexpected(other),
        };
    }

    public async Task<EditResult> RestoreAsync(string slug, ContentAuthor author, CancellationToken cancellationToken)
    {
        var cleaned = EditLimits.Clean(slug).ToLowerInvariant();
        return await store.RestoreAsync(cleaned, author, cancellationToken) switch
        {
            SaveOutcome.Saved saved => new EditResult.Done(saved.Incident, $"Restored {saved.Incident.Slug}."),
            SaveOutcome.SlugTaken => new EditResult.Refused($"{cleaned} is not removed: nothing to restore."),
            _ => new EditResult.NotFound(cleaned, []),
        };
    }

    /// <summary>Reverts the incident's last change, whatever it was (an undo is itself a change, so undoing twice redoes).</summary>
    public async Task<EditResult> UndoAsync(string query, ContentAuthor author, CancellationToken cancellationToken)
    {
        var slug = EditLimits.Clean(query).ToLowerInvariant();
        if (await store.GetAsync(slug, cancellationToken) is null && !await store.IsRemovedAsync(slug, cancellationToken))
        {
            var (found, notFound) = await OpenAsync(query, cancellationToken);
            if (found is null) return notFound!;
            slug = found.Incident.Slug;
        }

        var history = await store.HistoryAsync(slug, 1, cancellationToken);
        var last = history.Count > 0 ? history[0] : null;
        if (last is null) return new EditResult.Refused($"{slug} has no changes to undo.");
        if (last.After is null)
            return await RestoreAsync(slug, author, cancellationToken) is EditResult.Done done
                ? done with { Summary = $"Undid the removal of {slug}." }
                : new EditResult.Refused($"Could not undo the removal of {slug}.");
        if (last.Before is null)
            return await store.RemoveAsync(slug, author, cancellationToken) is SaveOutcome.Removed
                ? new EditResult.Done(null, $"Undid the creation of {slug}: it is removed ({names.Slash("incident", "restore " + slug)} brings it back).")
                : new EditResult.Refused($"Could not undo the creation of {slug}.");
        return await store.UpdateAsync(last.Before, expectedRevision: null, "undo", author, cancellationToken) switch
        {
            SaveOutcome.Saved saved => new EditResult.Done(saved.Incident, $"Undid the last change to {slug} ({last.Action} by {last.Author.Describe()})."),
            var other => Unexpected(other),
        };
    }

    public async Task<(IReadOnlyList<IncidentChange> Changes, EditResult? NotFound)> HistoryAsync(string query, CancellationToken cancellationToken)
    {
        var slug = EditLimits.Clean(query).ToLowerInvariant();
        if (await store.GetAsync(slug, cancellationToken) is null && !await store.IsRemovedAsync(slug, cancellationToken))
        {
            var (found, notFound) = await OpenAsync(query, cancellationToken);
            if (found is null) return ([], notFound);
            slug = found.Incident.Slug;
        }

        return (await store.HistoryAsync(slug, HistoryLimit, cancellationToken), null);
    }

    /// <summary>The incident by its exact slug, title or alias: edits never land on a fuzzy guess, they suggest instead.</summary>
    public async Task<(EditableIncident? Incident, EditResult? NotFound)> OpenAsync(string query, CancellationToken cancellationToken)
    {
        var cleaned = EditLimits.Clean(query);
        if (cleaned.Length == 0) return (null, new EditResult.Invalid("incident", "Name the incident, for example: balloon."));
        if (await store.GetAsync(cleaned.ToLowerInvariant(), cancellationToken) is { } bySlug) return (bySlug, null);
        var result = await finder.FindAsync(cleaned, cancellationToken);
        if (result is LookupResult.Found found && IsExactName(found.Incident, cleaned) && await store.GetAsync(found.Incident.Slug, cancellationToken) is { } byName)
            return (byName, null);
        var suggestions = result switch
        {
            LookupResult.Found f => [f.Incident.Slug],
            LookupResult.Ambiguous a => a.Candidates.Select(c => c.Slug).Distinct().Take(3).ToList(),
            LookupResult.NotFound n => n.Suggestions.Select(s => s.Slug).Distinct().Take(3).ToList(),
            _ => (IReadOnlyList<string>)[],
        };
        return (null, NotFound(cleaned, suggestions));
    }

    private async Task<EditResult> SaveAsync(Incident after, long? revision, string action, ContentAuthor author, string verb, CancellationToken cancellationToken)
    {
        if (Validate(after) is { } invalid) return invalid;
        var incident = Canonical(after, out var problem);
        if (incident is null) return new EditResult.Invalid("incident", problem!);
        return await store.UpdateAsync(incident, revision, action, author, cancellationToken) switch
        {
            SaveOutcome.Saved saved => new EditResult.Done(saved.Incident, verb == "Saved" ? $"Saved {saved.Incident.Slug}." : $"{verb} {saved.Incident.Slug}."),
            SaveOutcome.Conflict conflict => new EditResult.Conflict(conflict.Current),
            SaveOutcome.Missing => NotFound(after.Slug, []),
            var other => Unexpected(other),
        };
    }

    /// <summary>Checks people can act on, each naming its field; the seed format's own rules are checked after.</summary>
    private static EditResult.Invalid? Validate(Incident incident)
    {
        if (incident.Title.Length == 0) return new("title", "The title is required.");
        if (incident.Title.Length > EditLimits.Title) return TooLong("title", EditLimits.Title);
        if (!IncidentJson.Categories.Contains(incident.Category))
            return new("category", $"“{Clip(incident.Category)}” is not a category: use one of {string.Join(", ", IncidentJson.Categories.Order())}.");
        if (incident.Summary.Length == 0) return new("summary", "The summary is required: two or three sentences on what happened.");
        if (incident.Summary.Length > EditLimits.Summary) return TooLong("summary", EditLimits.Summary);
        if (incident.Status is { Length: > EditLimits.Status }) return TooLong("status", EditLimits.Status);
        if (incident.Aliases.Count > EditLimits.Aliases) return new("aliases", $"At most {EditLimits.Aliases} aliases.");
        if (incident.Aliases.FirstOrDefault(a => a.Length > EditLimits.Alias) is { } alias)
            return new("aliases", $"The alias “{Clip(alias)}” is longer than {EditLimits.Alias} characters.");
        return null;
    }

    /// <summary>Through the seed format and back: what is saved is exactly what an export writes and an import reads.</summary>
    private static Incident? Canonical(Incident incident, out string? problem)
    {
        try
        {
            problem = null;
            return IncidentJson.Parse(IncidentJson.Serialize(incident));
        }
        catch (IncidentFormatException ex)
        {
            problem = ex.Message;
            return null;
        }
    }

    private static bool IsExactName(Incident incident, string query)
    {
        var key = Text.TextNormalizer.Normalize(query);
        return Text.TextNormalizer.Normalize(incident.Title) == key || incident.Aliases.Any(a => Text.TextNormalizer.Normalize(a) == key);
    }

    private static EditResult.NotFound NotFound(string query, IReadOnlyList<string> suggestions) => new(query, suggestions);

    private static EditResult.Invalid TooLong(string field, int limit) =>
        new(field, string.Create(CultureInfo.InvariantCulture, $"The {field} is longer than {limit:N0} characters."));

    private static EditResult Unexpected(SaveOutcome outcome) => new EditResult.Refused($"The store could not save that ({outcome.GetType().Name}).");

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static string Publisher(Uri url) => url.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? url.Host[4..] : url.Host;

    private static string Clip(string text, int length = 40) => text.Length <= length ? text : text[..length] + "…";
}
