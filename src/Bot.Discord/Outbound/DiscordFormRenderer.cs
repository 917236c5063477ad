using System.Text;
using Bot.Core.Chat;
using Bot.Core.Text;
using Bot.Discord.Protocol;

namespace Bot.Discord.Outbound;

/// <summary>
/// Renders a form as a Discord modal: one Label per field, each holding a text input, within the
/// limits of reference §3 and §4. Text a person sees is clipped; what identifies the form (its
/// submit command, its field ids) is never clipped, because a cut one would submit something else.
/// </summary>
internal static class DiscordFormRenderer
{
    public const int CustomIdLimit = 100;
    public const int TitleLimit = 45;
    public const int ComponentLimit = 5;
    public const int LabelLimit = 45;
    public const int InputLengthLimit = 4000;
    public const int PlaceholderLimit = 100;

    /// <summary>The modal, or null with the reason when the form cannot be one.</summary>
    public static ModalPayload? Render(ChatForm form, out string? problem)
    {
        problem = Problem(form);
        if (problem is not null) return null;

        var labels = form.Fields.Select(field =>
        {
            var maxLength = Math.Clamp(field.MaxLength, 1, InputLengthLimit);
            return new ModalLabel(Clip(field.Label, LabelLimit), new TextInput
            {
                CustomId = field.Id,
                Style = field.Multiline ? 2 : 1,
                MaxLength = maxLength,
                Required = field.Required,
                Value = string.IsNullOrEmpty(field.Value) ? null : Prefix(field.Value, maxLength),
                Placeholder = string.IsNullOrWhiteSpace(field.Placeholder) ? null : Clip(field.Placeholder, PlaceholderLimit),
            });
        }).ToList();
        return new ModalPayload(form.SubmitCommand, Clip(form.Title, TitleLimit), labels);
    }

    private static string? Problem(ChatForm form)
    {
        var length = TextClipper.Length(form.SubmitCommand);
        if (length is 0 or > CustomIdLimit)
            return $"its submit command is {length} characters long; a modal's custom_id takes 1 to {CustomIdLimit}";
        if (form.Fields.Count is 0 or > ComponentLimit)
            return $"it has {form.Fields.Count} fields; a modal takes 1 to {ComponentLimit}";
        if (form.Fields.FirstOrDefault(f => TextClipper.Length(f.Id) is 0 or > CustomIdLimit) is { } badId)
            return $"a field id is {TextClipper.Length(badId.Id)} characters long; a text input's custom_id takes 1 to {CustomIdLimit}";
        if (form.Fields.Select(f => f.Id).Distinct(StringComparer.Ordinal).Count() != form.Fields.Count)
            return "two fields share an id";
        return null;
    }

    /// <summary>A label, title or placeholder: never empty, at most <paramref name="limit"/> code points.</summary>
    private static string Clip(string? text, int limit)
    {
        var clipped = TextClipper.Clip(text, limit);
        return clipped.Length == 0 ? "…" : clipped;
    }

    /// <summary>
    /// A prefilled value cut to the input's length, without an ellipsis: the person edits it and
    /// sends it back, so nothing may be added to it. Whole code points, so no surrogate is split.
    /// </summary>
    private static string Prefix(string value, int maxLength)
    {
        if (value.Length <= maxLength) return value;
        var builder = new StringBuilder(maxLength * 2);
        var count = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (count++ == maxLength) break;
            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }
}
