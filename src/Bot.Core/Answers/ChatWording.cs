using System.Text;
using System.Text.RegularExpressions;

namespace Bot.Core.Answers;

/// <summary>
/// Chat shorthand spelled out before a question is read: "r u sure", "abt", "govt", "whats". General
/// English only; names the store knows are the typo resolver's business.
/// </summary>
public static partial class ChatWording
{
    private static readonly Dictionary<string, string> Shorthand = new(StringComparer.OrdinalIgnoreCase)
    {
        ["r"] = "are",
        ["u"] = "you",
        ["ur"] = "your",
        ["n"] = "and",
        ["abt"] = "about",
        ["bout"] = "about",
        ["govt"] = "government",
        ["gov"] = "government",
        ["govts"] = "governments",
        ["ppl"] = "people",
        ["pls"] = "",
        ["plz"] = "",
        ["ngl"] = "",
        ["tbh"] = "",
        ["imo"] = "",
        ["lol"] = "",
        ["yo"] = "",
        ["hey"] = "",
        ["hi"] = "",
        // A trailing "tho" adds tone, not meaning; read as a word the store lacks it would sink the answer.
        ["tho"] = "",
        ["thx"] = "",
        ["bc"] = "because",
        ["cuz"] = "because",
        ["coz"] = "because",
        ["b4"] = "before",
        ["w/"] = "with",
        ["wat"] = "what",
        ["wut"] = "what",
        ["wen"] = "when",
        ["whats"] = "what is",
        ["whos"] = "who is",
        ["wheres"] = "where is",
        ["whens"] = "when is",
        ["hows"] = "how is",
        ["whered"] = "where did",
        ["whod"] = "who did",
        ["howd"] = "how did",
        ["theres"] = "there is",
        ["thats"] = "that is",
        ["dont"] = "do not",
        // Spelled out here so that "won" stays the past of "win" ("who won the cup") rather than half of "won't".
        ["won't"] = "will not",
        ["won’t"] = "will not",
        ["wont"] = "will not",
        ["didnt"] = "did not",
        ["doesnt"] = "does not",
        ["isnt"] = "is not",
        ["wasnt"] = "was not",
        ["im"] = "i am",
        ["prez"] = "president",
        ["pres"] = "president",
        ["aussie"] = "australian",
        ["aussies"] = "australians",
        ["yanks"] = "americans",
        ["brits"] = "british",
        ["info"] = "information",
        ["cam"] = "camera",
        ["cams"] = "cameras",
        ["pic"] = "picture",
        ["pics"] = "pictures",
        ["intel"] = "intelligence",
        ["natsec"] = "national security",
        ["approx"] = "approximately",
        ["yrs"] = "years",
        ["yr"] = "year",
        ["mins"] = "minutes",
        ["k"] = "ok",
        ["ok"] = "",
        ["okay"] = "",
        ["btw"] = "",
        ["fyi"] = "",
        ["idk"] = "",
        ["rn"] = "now",
        ["gonna"] = "going to",
        ["goin"] = "going",
        ["doin"] = "doing",
        ["nothin"] = "nothing",
        ["somethin"] = "something",
        ["wanna"] = "want to",
        ["outta"] = "out of",
        ["gotta"] = "have to",
        ["kinda"] = "",
        ["sorta"] = "",
        ["tryna"] = "trying to",
        ["no1"] = "number one",
        ["dept"] = "department",
        ["doj"] = "Justice Department",
        ["intl"] = "international",
        ["natl"] = "national",
        ["re"] = "about",
        ["y"] = "why",
        ["sum1"] = "someone",
        ["some1"] = "someone",
        ["any1"] = "anyone",
        ["aus"] = "Australia",
    };

    /// <summary>Filler that opens a chat question without meaning anything ("so like", "wait", "hey bot").</summary>
    private static readonly HashSet<string> Filler = new(StringComparer.OrdinalIgnoreCase)
    {
        "so", "like", "wait", "bot", "um", "uh", "erm", "hmm", "well", "anyway", "again", "even", "tho", "though", "exactly", "quick", "question", "remind", "me",
    };

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’/][\p{L}]+)*|\s+|.", RegexOptions.CultureInvariant)]
    private static partial Regex Tokens();

    [GeneratedRegex(@"\bno\.?\s*1\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NumberOne();

    /// <summary>Everyday ways of naming a place or body without its name: "down under", "the upper house".</summary>
    private static readonly Dictionary<string, string> DescribedNames = new(StringComparer.Ordinal)
    {
        ["down under"] = "Australia",
        ["upper house"] = "Senate",
        ["asian superpower"] = "China",
        ["asian giant"] = "China",
        ["real estate mogul"] = "Donald Trump",
        ["real-estate mogul"] = "Donald Trump",
        ["property tycoon"] = "Donald Trump",
        ["oval office"] = "presidency",
        ["short-video app"] = "TikTok",
        ["short video app"] = "TikTok",
        ["video-sharing app"] = "TikTok",
        ["video sharing app"] = "TikTok",
        ["us foreign ministry"] = "US State Department",
        ["american foreign ministry"] = "US State Department",
        ["america's foreign ministry"] = "US State Department",
        ["america’s foreign ministry"] = "US State Department",
        ["sent down"] = "sentenced",
        ["side of the aisle"] = "party",
        ["dancing-video app"] = "TikTok",
        ["dancing video app"] = "TikTok",
        ["dance-video app"] = "TikTok",
        ["dance video app"] = "TikTok",
        ["dance app"] = "TikTok",
        ["blew the whistle on"] = "exposed",
        ["blow the whistle on"] = "expose",
        ["a couple of"] = "two",
        ["a pair of"] = "two",
        ["sit down"] = "meet",
        ["sat down"] = "met",
        ["spanish capital"] = "Madrid",
        ["cop shops"] = "police stations",
        ["cop shop"] = "police station",
        ["hold talks"] = "meet",
        ["held talks"] = "met",
        ["holding talks"] = "meeting",
        ["ended up"] = "came",
        ["end up"] = "come",
        ["ends up"] = "comes",
    };

    [GeneratedRegex(@"\b(?:down under|upper house|asian superpower|asian giant|real[- ]estate mogul|property tycoon|oval office|short[- ]video app|video[- ]sharing app|(?:us|american|america['’]s) foreign ministry|sent down|side of the aisle|danc(?:e|ing)[- ]video app|dance app|bl(?:ew|ow) the whistle on|a couple of|a pair of|s[ai]t down|spanish capital|cop shops?|end(?:s|ed)? up|h(?:o|e)ld(?:ing)? talks)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Descriptions();

    /// <summary>"Blast it out of the sky": shot down.</summary>
    [GeneratedRegex(@"\b(?:blast(?:ed)?|bl[eo]w|knock(?:ed)?|shoot|shot)\b((?: \w+){0,3}?) out of the sky\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OutOfTheSky();

    /// <summary>"How much time did he get": in news about courts, time one gets is a prison sentence.</summary>
    [GeneratedRegex(@"\bhow (?:much time|many years|long) did (\w+) get\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TimeOneGets();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();

    /// <summary>"…, can someone explain", "does anyone know …": a request to the room that asks nothing itself.</summary>
    [GeneratedRegex(@"[,;\-–—]?\s*\b(?:(?:can|could|would|will) (?:some ?one|sum1|some1|any ?one|any1|somebody|anybody|u|you) (?:pls |please )?(?:explain|tell me|help me out|help)|(?:does |do )?(?:any ?one|any1|anybody|some ?one) (?:know|knows|remember)|any idea|explain (?:pls|plz|please)|pls explain|plz explain)\b[\s?!.]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RequestToTheRoom();

    /// <summary>"idk who xu yanjun is": the question asked as "who is xu yanjun".</summary>
    [GeneratedRegex(@"\bwho ((?:(?!who\b)[\p{L}\p{N}'’\-]+ ){0,3}(?!who\b)[\p{L}\p{N}'’\-]+) (is|was|are|were)[\s?!.,]*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WhoSomeoneIs();

    /// <summary>The question with shorthand spelled out and leading filler dropped; everything else as typed.</summary>
    public static string Tidy(string question)
    {
        var text = Descriptions().Replace(NumberOne().Replace(question, "number one"), m => DescribedNames.GetValueOrDefault(m.Value.ToLowerInvariant(), m.Value));
        text = RequestToTheRoom().Replace(text, " ");
        text = TimeOneGets().Replace(text, "how long a prison sentence did $1 get");
        text = OutOfTheSky().Replace(text, "shot$1 down");
        var builder = new StringBuilder(text.Length + 16);
        var leading = true;
        foreach (Match token in Tokens().Matches(text))
        {
            var value = token.Value;
            if (char.IsWhiteSpace(value[0]))
            {
                builder.Append(' ');
                continue;
            }

            if (leading && Filler.Contains(value)) continue;
            if (Shorthand.TryGetValue(value, out var spelled))
            {
                if (spelled.Length == 0) continue;
                value = spelled;
            }

            if (char.IsLetterOrDigit(value[0])) leading = false;
            builder.Append(value);
        }

        var tidied = Spaces().Replace(builder.ToString(), " ").Trim();
        return WhoSomeoneIs().Replace(tidied, m => $"who {m.Groups[2].Value} {m.Groups[1].Value}");
    }
}
