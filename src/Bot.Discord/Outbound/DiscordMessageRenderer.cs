using System.Text;
using Bot.Core.Chat;
using Bot.Core.Text;
using Bot.Discord.Protocol;

namespace Bot.Discord.Outbound;

/// <summary>
/// Renders the neutral message as one embed with buttons, inside Discord's limits: title 256,
/// description 4096, 25 fields of 256/1024, 6000 characters across embeds, 5 rows of 5 buttons.
/// Everything from the store is escaped as Discord markdown, and nobody is ever mentioned.
/// </summary>
internal static class DiscordMessageRenderer
{
    public const int EphemeralFlag = 1 << 6;
    private const int TitleLimit = 256;
    private const int DescriptionLimit = 4096;
    private const int FieldNameLimit = 256;
    private const int FieldValueLimit = 1024;
    private const int FieldCountLimit = 25;
    private const int FooterLimit = 2048;
    private const int EmbedTotalLimit = 6000;
    private const int ButtonsPerRow = 5;
    private const int RowLimit = 5;
    private const int LabelLimit = 80;
    private const int CustomIdLimit = 100;

    private static readonly Dictionary<string, int> CategoryColours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Airspace"] = 0x3B82F6,
        ["Cyber"] = 0x8B5CF6,
        ["Espionage"] = 0xDC2626,
        ["Surveillance"] = 0xF59E0B,
        ["Telecom"] = 0x10B981,
        ["Technology"] = 0x06B6D4,
        ["Influence"] = 0xEC4899,
        ["Diplomacy"] = 0x6366F1,
    };

    public static MessagePayload Render(ChatMessage message, bool ephemeral)
    {
        var embed = RenderEmbed(message);
        return new MessagePayload
        {
            Embeds = [embed],
            Components = RenderButtons(message.Buttons),
            AllowedMentions = AllowedMentions.None,
            Flags = ephemeral ? EphemeralFlag : null,
        };
    }

    public static Embed RenderEmbed(ChatMessage message)
    {
        var title = string.Join(' ', new[] { message.Emoji, message.Title }.Where(s => !string.IsNullOrWhiteSpace(s)));
        var description = new StringBuilder();
        if (message.Badges.Count > 0) description.Append('`').Append(string.Join(" · ", message.Badges.Select(b => b.Replace("`", "'", StringComparison.Ordinal)))).Append("`\n");
        if (!string.IsNullOrWhiteSpace(message.Text)) description.Append(Escape(message.Text));

        var fields = new List<EmbedField>();
        foreach (var field in message.Fields)
            fields.Add(new EmbedField(TextClipper.Clip(Escape(field.Name), FieldNameLimit), TextClipper.Clip(Escape(field.Value), FieldValueLimit), field.Inline));
        foreach (var section in message.Sections)
            fields.AddRange(SectionFields(section));
        if (message.Sources.Count > 0)
            fields.AddRange(SectionFieldsFrom("Sources", message.Sources.Select(SourceLine)));

        var embed = new Embed
        {
            Title = NullIfEmpty(TextClipper.Clip(Escape(title), TitleLimit)),
            Description = NullIfEmpty(TextClipper.Clip(description.ToString(), DescriptionLimit)),
            Color = message.Kind switch
            {
                MessageKind.Error => 0xEF4444,
                MessageKind.Notice => 0x9CA3AF,
                _ => message.Badges.Count > 0 && CategoryColours.TryGetValue(message.Badges[0], out var colour) ? colour : 0x64748B,
            },
            Fields = fields.Count == 0 ? null : fields.Take(FieldCountLimit).ToList(),
            Footer = string.IsNullOrWhiteSpace(message.Footer) ? null : new EmbedFooter(TextClipper.Clip(message.Footer, FooterLimit)),
        };
        return FitTotal(embed);
    }

    public static IReadOnlyList<ActionRow>? RenderButtons(IReadOnlyList<MessageButton> buttons)
    {
        var usable = buttons
            .Where(b => b.Command.Length is > 0 and <= CustomIdLimit)
            .DistinctBy(b => b.Command)
            .Take(ButtonsPerRow * RowLimit)
            .Select(b => new Button(Style: 2, Label: TextClipper.Clip(b.Label, LabelLimit), CustomId: b.Command))
            .ToList();
        if (usable.Count == 0) return null;
        return usable.Chunk(ButtonsPerRow).Select(row => new ActionRow(row)).ToList();
    }

    /// <summary>
    /// Escapes Discord markdown in stored text so that an asterisk stays an asterisk. Team text can
    /// hold anything: "&lt;@123&gt;", "&lt;#1&gt;" or "&lt;t:0&gt;" would show as a mention, a channel or a
    /// date, so '&lt;' is escaped too and they read as typed (allowed_mentions being empty, nobody is
    /// pinged either way).
    /// </summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '*' or '_' or '~' or '`' or '|' or '>' or '<' or '[' or ']' or '#' or '-' && NeedsEscape(builder, c))
                builder.Append('\\');
            builder.Append(c);
        }

        return builder.ToString();
    }

    // Headings and list markers only matter at the start of a line; elsewhere '#' and '-' are plain.
    private static bool NeedsEscape(StringBuilder soFar, char c) =>
        c is not ('#' or '-' or '>') || soFar.Length == 0 || soFar[^1] == '\n';

    private static IEnumerable<EmbedField> SectionFields(MessageSection section) =>
        SectionFieldsFrom(section.Heading, section.Lines.Select(l => l.Label is null ? LineText(l) : $"**{Escape(l.Label)}** · {LineText(l)}"));

    /// <summary>A line's text, as a masked link when it has a web address.</summary>
    private static string LineText(MessageLine line) =>
        line.Url is { } url && IsWebAddress(url) ? SourceLine(new SourceLink(line.Text, url)) : Escape(line.Text);

    private static bool IsWebAddress(string url) =>
        (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>Lines packed into as few fields as fit; a section too long for one field continues in the next.</summary>
    private static IEnumerable<EmbedField> SectionFieldsFrom(string heading, IEnumerable<string> lines)
    {
        var name = TextClipper.Clip(Escape(heading), FieldNameLimit);
        var value = new StringBuilder();
        var valueLength = 0;
        var first = true;
        foreach (var raw in lines)
        {
            var line = TextClipper.Clip(raw, FieldValueLimit);
            var lineLength = TextClipper.Length(line);
            if (value.Length > 0 && valueLength + 1 + lineLength > FieldValueLimit)
            {
                yield return new EmbedField(first ? name : TextClipper.Clip(name + " (cont.)", FieldNameLimit), value.ToString(), false);
                first = false;
                value.Clear();
                valueLength = 0;
            }

            if (value.Length > 0)
            {
                value.Append('\n');
                valueLength++;
            }

            value.Append(line);
            valueLength += lineLength;
        }

        if (value.Length > 0)
            yield return new EmbedField(first ? name : TextClipper.Clip(name + " (cont.)", FieldNameLimit), value.ToString(), false);
    }

    private static string SourceLine(SourceLink source) =>
        source.Url is null ? Escape(source.Text) : $"[{Escape(source.Text)}]({source.Url.Replace(")", "%29", StringComparison.Ordinal)})";

    /// <summary>Drops trailing fields, then shortens the description, until the embed fits Discord's 6000 total.</summary>
    private static Embed FitTotal(Embed embed)
    {
        var fields = embed.Fields?.ToList() ?? [];
        var fieldLengths = fields.Select(f => TextClipper.Length(f.Name) + TextClipper.Length(f.Value)).ToList();
        var descriptionLength = TextClipper.Length(embed.Description);
        var total = TextClipper.Length(embed.Title) + descriptionLength + TextClipper.Length(embed.Footer?.Text) + fieldLengths.Sum();
        while (total > EmbedTotalLimit && fields.Count > 0)
        {
            total -= fieldLengths[^1];
            fieldLengths.RemoveAt(fieldLengths.Count - 1);
            fields.RemoveAt(fields.Count - 1);
        }

        embed = embed with { Fields = fields.Count == 0 ? null : fields };
        var excess = total - EmbedTotalLimit;
        if (excess > 0 && embed.Description is { } description)
            embed = embed with { Description = TextClipper.Clip(description, Math.Max(1, descriptionLength - excess)) };
        return embed;
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
