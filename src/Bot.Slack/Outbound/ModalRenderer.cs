using System.Text.Json;
using Bot.Core.Chat;
using Bot.Core.Incidents;
using Bot.Core.Text;
using Bot.Slack.Protocol;

namespace Bot.Slack.Outbound;

/// <summary>
/// Renders the neutral form as a Slack modal inside views.open's limits: title, submit and close 24 characters, 100
/// blocks, block_id 255, private_metadata 3,000, plain_text_input max_length 3,000 (initial_value within it),
/// placeholder 150. Each field becomes an input block whose block_id is the field's id and whose element's action_id is
/// "value"; the field "incident" is an external select whose options come from block_suggestion.
/// </summary>
internal static class ModalRenderer
{
    public const string CallbackId = "bot_form";
    public const string ValueActionId = "value";
    /// <summary>The field the add-to-incident form names the incident in: a menu on Slack, searched as people type.</summary>
    public const string IncidentPickerId = "incident";

    public const int TitleLimit = 24;
    public const int MaxBlocks = 100;
    public const int IdLimit = 255;
    public const int MetadataLimit = 3000;
    public const int InputLimit = 3000;
    public const int PlaceholderLimit = 150;
    public const int LabelLimit = 2000;
    public const int OptionTextLimit = 75;
    public const int OptionValueLimit = 150;
    public const int MaxOptions = 100;

    /// <summary>The modal, or null when what it must carry back does not fit in private_metadata.</summary>
    public static SlackView? Render(ChatForm form, FormMetadata metadata)
    {
        var privateMetadata = JsonSerializer.Serialize(metadata, SlackJson.Default.FormMetadata);
        if (privateMetadata.Length > MetadataLimit) return null;
        return new SlackView
        {
            CallbackId = CallbackId,
            Title = TextObject.Plain(Clip(string.IsNullOrWhiteSpace(form.Title) ? "Form" : form.Title, TitleLimit)),
            Submit = TextObject.Plain("Save"),
            Close = TextObject.Plain("Cancel"),
            PrivateMetadata = privateMetadata,
            Blocks = form.Fields
                .Where(f => f.Id.Length is > 0 and <= IdLimit)
                .DistinctBy(f => f.Id, StringComparer.Ordinal)
                .Take(MaxBlocks)
                .Select(Input)
                .ToList(),
        };
    }

    /// <summary>Incidents as menu options: the title shown, the slug chosen.</summary>
    public static OptionsResponse Options(IEnumerable<NameMatch> matches) => new(matches
        .Where(m => m.Slug.Length is > 0 and <= OptionValueLimit)
        .DistinctBy(m => m.Slug, StringComparer.Ordinal)
        .Take(MaxOptions)
        .Select(m => new SlackOption(TextObject.Plain(Clip(string.IsNullOrWhiteSpace(m.Title) ? m.Slug : m.Title, OptionTextLimit)), m.Slug))
        .ToList());

    private static InputBlock Input(FormField field)
    {
        var placeholder = string.IsNullOrWhiteSpace(field.Placeholder) ? null : TextObject.Plain(Clip(field.Placeholder, PlaceholderLimit));
        InputElement element;
        if (field.Id == IncidentPickerId)
        {
            element = new ExternalSelect(ValueActionId)
            {
                MinQueryLength = 0,
                Placeholder = placeholder,
                InitialOption = string.IsNullOrWhiteSpace(field.Value) || field.Value.Length > OptionValueLimit
                    ? null
                    : new SlackOption(TextObject.Plain(Clip(field.Value, OptionTextLimit)), field.Value),
            };
        }
        else
        {
            var maxLength = Math.Clamp(field.MaxLength, 1, InputLimit);
            element = new PlainTextInput(ValueActionId)
            {
                Multiline = field.Multiline ? true : null,
                MaxLength = maxLength,
                // A value longer than the input allows would make Slack refuse the whole modal.
                InitialValue = string.IsNullOrEmpty(field.Value) ? null : InboundText.Clip(field.Value, maxLength),
                Placeholder = placeholder,
            };
        }

        return new InputBlock(TextObject.Plain(Clip(string.IsNullOrWhiteSpace(field.Label) ? field.Id : field.Label, LabelLimit)), element)
        {
            BlockId = field.Id,
            Optional = !field.Required,
        };
    }

    /// <summary>Clipped for people (an ellipsis at a word), then hard to the limit in UTF-16 units, which Slack may count.</summary>
    private static string Clip(string text, int limit) => InboundText.Clip(TextClipper.Clip(text, limit), limit);
}
