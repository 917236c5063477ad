using System.Text;
using Bot.Core.Chat;

namespace Bot.Cli;

/// <summary>Renders a message as terminal text: what the bot would post, without a platform.</summary>
public static class PlainTextRenderer
{
    public static string Render(ChatMessage message)
    {
        var text = new StringBuilder();
        var title = string.Join(' ', new[] { message.Emoji, message.Title }.Where(s => !string.IsNullOrEmpty(s)));
        if (title.Length > 0)
        {
            text.Append(title);
            if (message.Badges.Count > 0) text.Append("   [").AppendJoin(" · ", message.Badges).Append(']');
            text.AppendLine();
        }

        if (!string.IsNullOrEmpty(message.Text)) text.AppendLine(message.Text);

        if (message.Fields.Count > 0)
        {
            text.AppendLine();
            var width = message.Fields.Max(f => f.Name.Length) + 2;
            foreach (var field in message.Fields)
                text.Append(field.Name.PadRight(width)).AppendLine(field.Value);
        }

        foreach (var section in message.Sections)
        {
            text.AppendLine().AppendLine(section.Heading);
            var width = section.Lines.Select(l => l.Label?.Length ?? 0).DefaultIfEmpty(0).Max();
            foreach (var line in section.Lines)
            {
                text.Append("  ");
                if (width > 0) text.Append((line.Label ?? string.Empty).PadRight(width + 2));
                text.AppendLine(line.Url is null ? line.Text : $"{line.Text} <{line.Url}>");
            }
        }

        if (message.Sources.Count > 0)
        {
            text.AppendLine();
            foreach (var source in message.Sources)
                text.Append("Source: ").Append(source.Text).AppendLine(source.Url is null ? string.Empty : $" <{source.Url}>");
        }
        else if (!string.IsNullOrEmpty(message.Footer))
        {
            text.AppendLine().AppendLine(message.Footer);
        }

        if (message.Buttons.Count > 0)
            text.AppendJoin(' ', message.Buttons.Select(b => $"[{b.Label}: {b.Command}]")).AppendLine();

        return text.ToString().TrimEnd() + Environment.NewLine;
    }
}
