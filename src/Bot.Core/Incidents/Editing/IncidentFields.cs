using System.Text;
using Bot.Core.Text;

namespace Bot.Core.Incidents.Editing;

/// <summary>
/// The fields of the new/edit form as people fill them in. A null field is left as it is on edit;
/// aliases are one text, separated by commas or new lines, as a form can hold them.
/// </summary>
public sealed record IncidentFields
{
    public string? Slug { get; init; }
    public string? Title { get; init; }
    public string? Category { get; init; }
    public string? Summary { get; init; }
    public string? Status { get; init; }
    public string? Aliases { get; init; }

    public static IncidentFields From(Incident incident) => new()
    {
        Slug = incident.Slug,
        Title = incident.Title,
        Category = incident.Category,
        Summary = incident.Summary,
        Status = incident.Status,
        Aliases = string.Join(", ", incident.Aliases),
    };

    public static IReadOnlyList<string> SplitAliases(string? text) =>
        (text ?? string.Empty).Split([',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => EditLimits.Clean(a))
            .Where(a => a.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>"Chinese spy balloon over Canada!" → "chinese-spy-balloon-over-canada": what the form proposes as the slug.</summary>
    public static string ProposeSlug(string? title)
    {
        var builder = new StringBuilder();
        foreach (var word in TextNormalizer.Words(title, 300))
        {
            var ascii = new string(word.Where(char.IsAsciiLetterOrDigit).ToArray());
            if (ascii.Length == 0) continue;
            if (builder.Length + ascii.Length + 1 > 60) break;
            if (builder.Length > 0) builder.Append('-');
            builder.Append(ascii);
        }

        return builder.Length == 0 ? "incident" : builder.ToString();
    }
}
