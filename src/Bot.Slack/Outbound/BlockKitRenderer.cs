using System.Text;
using Bot.Core.Chat;
using Bot.Core.Text;
using Bot.Slack.Protocol;

namespace Bot.Slack.Outbound;

/// <summary>
/// Renders the neutral message as Block Kit with a plain-text fallback, inside Slack's limits: 50
/// blocks, 3000 characters per section, 150 per header, 10 fields, 75 per button. All stored text
/// is mrkdwn-escaped (&amp; &lt; &gt;), so nothing can become &lt;!channel&gt; or a mention.
/// </summary>
internal static class BlockKitRenderer
{
    private const int BlockLimit = 50;
    private const int HeaderLimit = 150;
    private const int SectionTextLimit = 3000;
    private const int FieldLimit = 2000;
    private const int FieldsPerSection = 10;
    private const int ContextElements = 10;
    private const int ButtonTextLimit = 75;
    private const int ButtonValueLimit = 2000;
    private const int ButtonsPerActions = 25;
    private const int FallbackLimit = 3000;

    public static SlackMessage Render(ChatMessage message, bool inChannel) => new()
    {
        Text = Fallback(message),
        Blocks = Blocks(message),
        ResponseType = inChannel ? "in_channel" : "ephemeral",
        UnfurlLinks = false,
        UnfurlMedia = false,
    };

    public static IReadOnlyList<Block> Blocks(ChatMessage message)
    {
        var blocks = new List<Block>();
        // A header only for a real title; a lone emoji (an answer's 💬) leads the text instead.
        var hasTitle = !string.IsNullOrWhiteSpace(message.Title);
        if (hasTitle) blocks.Add(new HeaderBlock(TextObject.Plain(TextClipper.Clip($"{message.Emoji} {message.Title}".Trim(), HeaderLimit))));
        if (message.Badges.Count > 0) blocks.Add(new ContextBlock([TextObject.Mrkdwn(Escape(string.Join(" · ", message.Badges)))]));
        if (!string.IsNullOrWhiteSpace(message.Text))
        {
            var lead = !hasTitle && message.Emoji is { } emoji ? emoji + " " : string.Empty;
            blocks.Add(new SectionBlock { Text = TextObject.Mrkdwn(TextClipper.Clip(lead + Escape(message.Text), SectionTextLimit)) });
        }

        foreach (var chunk in message.Fields.Chunk(FieldsPerSection))
            blocks.Add(new SectionBlock
            {
                Fields = chunk.Select(f => TextObject.Mrkdwn(TextClipper.Clip($"*{Escape(f.Name)}*\n{Escape(f.Value)}", FieldLimit))).ToList(),
            });

        foreach (var section in message.Sections)
        {
            blocks.Add(new SectionBlock { Text = TextObject.Mrkdwn(TextClipper.Clip($"*{Escape(section.Heading)}*", SectionTextLimit)) });
            // The timeline reads as a compact context list: one element per line, ten per block.
            foreach (var lines in section.Lines.Chunk(ContextElements))
                blocks.Add(new ContextBlock(lines.Select(l => TextObject.Mrkdwn(TextClipper.Clip(
                    l.Label is null ? LineText(l) : $"*{Escape(l.Label)}*  {LineText(l)}", SectionTextLimit))).ToList()));
        }

        if (message.Sources.Count > 0)
            foreach (var sources in message.Sources.Chunk(ContextElements))
                blocks.Add(new ContextBlock(sources.Select(s => TextObject.Mrkdwn(TextClipper.Clip(SourceText(s), SectionTextLimit))).ToList()));
        if (!string.IsNullOrWhiteSpace(message.Footer) && message.Sources.Count == 0)
            blocks.Add(new ContextBlock([TextObject.Mrkdwn(TextClipper.Clip(Escape(message.Footer), SectionTextLimit))]));

        var buttons = message.Buttons
            .Where(b => b.Command.Length is > 0 and <= ButtonValueLimit)
            .DistinctBy(b => b.Command)
            .Take(ButtonsPerActions)
            .Select((b, i) => new ButtonElement(TextObject.Plain(TextClipper.Clip(b.Label, ButtonTextLimit)), $"cmd-{i}", b.Command))
            .ToList();

        // Keep room for the buttons and a "more" note when the content overflows 50 blocks.
        var budget = BlockLimit - (buttons.Count > 0 ? 1 : 0);
        if (blocks.Count > budget)
        {
            blocks = blocks.Take(budget - 1).ToList();
            blocks.Add(new ContextBlock([TextObject.Mrkdwn("…more than fits in one message")]));
        }

        if (message.Footer is not null && message.Sources.Count > 0 && blocks.Count < budget)
            blocks.Add(new ContextBlock([TextObject.Mrkdwn(TextClipper.Clip(Escape(message.Footer), SectionTextLimit))]));
        if (buttons.Count > 0) blocks.Add(new ActionsBlock(buttons));
        return blocks;
    }

    /// <summary>What notifications, screen readers and old clients show: title and text, escaped.</summary>
    public static string Fallback(ChatMessage message)
    {
        var text = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(message.Title)) text.Append(message.Title);
        if (!string.IsNullOrWhiteSpace(message.Text))
        {
            if (text.Length > 0) text.Append(": ");
            text.Append(message.Text);
        }

        if (text.Length == 0 && message.Sections.Count > 0) text.Append(message.Sections[0].Heading);
        return TextClipper.Clip(Escape(text.Length == 0 ? "(no text)" : text.ToString()), FallbackLimit);
    }

    /// <summary>mrkdwn needs exactly three escapes; with them, "&lt;!channel&gt;" in stored text stays text.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    /// <summary>
    /// A source as a link only when its address is a plain web address: anything that could end the link token early or
    /// open another one (|, &lt;, &gt;, spaces, control characters) leaves it as escaped text. An &amp; in the address is
    /// escaped like any other, as Slack writes links itself.
    /// </summary>
    private static string SourceText(SourceLink source)
    {
        if (source.Url is not { } url || !IsPlainWebAddress(url)) return Escape(source.Text);
        return $"<{Escape(url)}|{Escape(source.Text).Replace("|", "¦", StringComparison.Ordinal)}>";
    }

    /// <summary>A line's text, as a link when it has a plain web address.</summary>
    private static string LineText(MessageLine line) =>
        line.Url is { } url ? SourceText(new SourceLink(line.Text, url)) : Escape(line.Text);

    private static bool IsPlainWebAddress(string url) =>
        (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        && !url.Any(c => c is '|' or '<' or '>' || char.IsWhiteSpace(c) || char.IsControl(c));
}
