using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bot.Slack.Protocol;

/// <summary>
/// Text as it enters the adapter. JSON may escape half of a surrogate pair (<c>"\ud800"</c>), which is no text at all:
/// .NET refuses to read it as a string, and it would break every encoder downstream. JSON may also escape NUL
/// (<c>"\u0000"</c>), which PostgreSQL refuses to store in any text column, so an id or a word holding one would fail
/// the request there. Both become U+FFFD here, once, so nothing after the boundary meets them.
/// </summary>
internal static class InboundText
{
    public const char Replacement = '\uFFFD';

    private static readonly SearchValues<char> NulAndSurrogates =
        SearchValues.Create(['\0', .. Enumerable.Range(0xD800, 0x800).Select(c => (char)c)]);

    /// <summary><paramref name="text"/> with every unpaired surrogate and NUL replaced by U+FFFD (the string itself when there is none).</summary>
    public static string Clean(string text)
    {
        // One vectorised scan on the usual path (every inbound string passes here): most text holds neither.
        var first = text.AsSpan().IndexOfAny(NulAndSurrogates);
        if (first < 0) return text;
        var rest = text.AsSpan(first);
        if (!rest.Contains('\0') && !HasUnpairedSurrogate(rest)) return text;
        return string.Create(text.Length, text, static (chars, source) =>
        {
            source.AsSpan().CopyTo(chars);
            for (var i = 0; i < chars.Length; i++)
            {
                if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1])) i++;
                else if (char.IsSurrogate(chars[i]) || chars[i] == '\0') chars[i] = Replacement;
            }
        });
    }

    private static bool HasUnpairedSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return true;
        }

        return false;
    }

    /// <summary>At most <paramref name="maxLength"/> characters, never ending in half a surrogate pair.</summary>
    public static string Clip(string text, int maxLength)
    {
        if (text.Length <= maxLength) return text;
        var end = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return text[..end];
    }

    /// <summary>The current string token's value, cleaned; read by hand when .NET cannot decode it.</summary>
    public static string ReadString(ref Utf8JsonReader reader)
    {
        try
        {
            return Clean(reader.GetString()!);
        }
        catch (InvalidOperationException)
        {
            return ReadLenient(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        }
    }

    /// <summary>
    /// A JSON string token's value when .NET cannot read it (lone surrogates, invalid UTF-8): escapes undone by hand,
    /// bad UTF-8 and unpaired surrogates replaced by U+FFFD. The reader has already checked the escapes' syntax.
    /// </summary>
    public static string ReadLenient(ReadOnlySpan<byte> raw)
    {
        var text = new StringBuilder(raw.Length);
        var run = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\') continue;
            text.Append(Encoding.UTF8.GetString(raw[run..i]));
            if (i + 1 >= raw.Length)
            {
                run = raw.Length;
                break;
            }

            var escape = raw[i + 1];
            if (escape == (byte)'u' && i + 5 < raw.Length && TryParseHex(raw.Slice(i + 2, 4), out var unit))
            {
                text.Append(unit);
                i += 5;
            }
            else
            {
                text.Append(escape switch
                {
                    (byte)'n' => '\n',
                    (byte)'r' => '\r',
                    (byte)'t' => '\t',
                    (byte)'b' => '\b',
                    (byte)'f' => '\f',
                    _ => (char)escape,
                });
                i++;
            }

            run = i + 1;
        }

        if (run < raw.Length) text.Append(Encoding.UTF8.GetString(raw[run..]));
        return Clean(text.ToString());
    }

    private static bool TryParseHex(ReadOnlySpan<byte> digits, out char unit)
    {
        var value = 0;
        foreach (var digit in digits)
        {
            var nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                unit = default;
                return false;
            }

            value = value * 16 + nibble;
        }

        unit = (char)value;
        return true;
    }
}

/// <summary>Reads every string of an inbound payload through <see cref="InboundText"/>: a lone surrogate is replaced, not a reason to refuse the payload.</summary>
internal sealed class InboundStringConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? InboundText.ReadString(ref reader) : throw new JsonException($"Expected a string, found {reader.TokenType}.");

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    /// <summary>
    /// Dictionary keys (a modal's state.values is keyed by block_id). .NET reads a key as text before any converter sees
    /// it, so a key with a lone surrogate makes the payload unreadable (a JsonException, answered 400) rather than replaced.
    /// </summary>
    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => InboundText.ReadString(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);
}
