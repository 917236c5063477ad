using System.Globalization;
using System.Text;
using Bot.Core.Incidents;
using Bot.Core.Incidents.Import;

namespace Bot.Benchmarks;

/// <summary>One generated incident plus the made-up code name that makes it addressable in lookups.</summary>
public sealed record GeneratedIncident(int Index, Incident Incident, string Codename);

/// <summary>
/// Makes N plausible incidents, deterministically from a seed: the same (seed, count) always gives
/// byte-identical JSONL. Every incident gets a unique invented code name ("Karvelo"), used in its slug
/// and aliases, so lookups by slug or alias land on exactly one incident while titles, generic aliases
/// ("russian drone swarm") and trigrams overlap heavily across the set, as they would in a real store.
/// </summary>
public sealed class IncidentGenerator
{
    /// <summary>Bump whenever the output changes: cached JSONL files and stores carry it in their names.</summary>
    public const int Version = 2;

    private static readonly string[] Syllables =
    [
        "ka", "ro", "vel", "mar", "tin", "sa", "lo", "dor", "ben", "qui", "zan", "fer", "mo", "ri", "tal", "ne",
        "gor", "va", "sul", "pe", "dra", "ki", "lu", "mir", "os", "te", "bra", "xi", "wen", "hao", "nor", "del",
        "ash", "um", "ter", "cas", "po", "lin", "rek", "ya", "zu", "fen", "gal", "ost", "vi", "ber", "nak", "sor",
    ];

    private static readonly string[] Qualifiers =
        ["Suspected", "Alleged", "Covert", "Unexplained", "Leaked", "Reported", "Foiled", "Disputed", "Secret", "Failed"];

    private static readonly (string Adjective, string Country)[] Nationalities =
    [
        ("Chinese", "China"), ("Russian", "Russia"), ("Iranian", "Iran"), ("North Korean", "North Korea"),
        ("Belarusian", "Belarus"), ("Turkish", "Turkey"), ("Saudi", "Saudi Arabia"), ("Vietnamese", "Vietnam"),
        ("Pakistani", "Pakistan"), ("Venezuelan", "Venezuela"), ("Syrian", "Syria"), ("Cuban", "Cuba"),
    ];

    private static readonly (string Phrase, string Country)[] Places =
    [
        ("the Baltic Sea", "Sweden"), ("the Taiwan Strait", "Taiwan"), ("northern Germany", "Germany"), ("Rotterdam", "Netherlands"),
        ("Vancouver", "Canada"), ("Canberra", "Australia"), ("Montana", "United States"), ("the Port of Antwerp", "Belgium"),
        ("Lyon", "France"), ("the Irish Sea", "Ireland"), ("Hokkaido", "Japan"), ("Busan", "South Korea"),
        ("Gdansk", "Poland"), ("Milan", "Italy"), ("Oslo", "Norway"), ("Tallinn", "Estonia"), ("Nairobi", "Kenya"),
        ("Sao Paulo", "Brazil"), ("Wellington", "New Zealand"), ("Vilnius", "Lithuania"), ("Prague", "Czech Republic"),
        ("the North Sea", "United Kingdom"), ("Manila", "Philippines"), ("Helsinki", "Finland"),
    ];

    private static readonly string[] Prepositions = ["over", "near", "in", "off", "around"];

    /// <summary>Subjects per category; an unknown category (added to the importer later) falls back to the generic list.</summary>
    private static readonly Dictionary<string, string[]> Subjects = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Airspace"] = ["surveillance balloon", "drone swarm", "reconnaissance aircraft", "high-altitude airship", "helicopter incursion"],
        ["Cyber"] = ["ransomware attack", "phishing campaign", "data breach", "hacking operation", "botnet takedown"],
        ["Espionage"] = ["spy ring", "intelligence officer arrest", "informant network", "embassy bugging", "defector case"],
        ["Surveillance"] = ["camera network", "facial recognition contract", "phone tracking scheme", "license plate database"],
        ["Telecom"] = ["undersea cable cut", "network equipment ban", "satellite jamming", "mobile operator probe"],
        ["Technology"] = ["chip export dispute", "research data theft", "battery plant deal", "quantum lab breach"],
        ["Influence"] = ["disinformation campaign", "overseas police station", "donation scandal", "troll farm"],
        ["Diplomacy"] = ["ambassador expulsion", "summit cancellation", "consulate closure", "visa standoff"],
    };

    private static readonly string[] GenericSubjects = ["security incident", "intelligence affair", "state interference case"];

    private static readonly string[] AffairWords = ["affair", "case", "leak", "incident", "scandal", "probe"];

    private static readonly string[] FirstNames =
    [
        "Anna", "Lars", "Mei", "Tomasz", "Ingrid", "Rahul", "Sofia", "Kenji", "Elena", "David", "Amira", "Jonas",
        "Hana", "Pierre", "Lucia", "Olusegun", "Marta", "Viktor", "Aiko", "Samuel", "Noor", "Erik", "Grace", "Mateus",
    ];

    private static readonly string[] LastNames =
    [
        "Lindqvist", "Kowalski", "Tanaka", "Moreau", "Okafor", "Fischer", "Rossi", "Novak", "Haddad", "Larsen",
        "Park", "Silva", "Nguyen", "Schmidt", "Dubois", "Kaur", "Jensen", "Costa", "Ivanova", "Murphy",
    ];

    private static readonly string[] Organisations =
    [
        "Nordwave Telecom", "Helix Semiconductors", "Baltic Cable Company", "Orion Analytics", "Meridian Robotics",
        "Cobalt Grid Systems", "Atlas Satellite Services", "Vantage Security Labs", "Kestrel Logistics", "Lumen Research Institute",
    ];

    private static readonly (string Name, string Domain)[] Publishers =
    [
        ("Reuters", "reuters.com"), ("Associated Press", "apnews.com"), ("BBC News", "bbc.co.uk"), ("The Guardian", "theguardian.com"),
        ("Le Monde", "lemonde.fr"), ("Financial Times", "ft.com"), ("Der Spiegel", "spiegel.de"), ("NHK World", "nhk.or.jp"),
        ("Politico Europe", "politico.eu"), ("The Record", "therecord.media"),
    ];

    private static readonly string[] EventTemplates =
    [
        "The {subject} is first reported by local media in {place}.",
        "Authorities in {country} open a criminal investigation into the {subject}.",
        "The {nationality} foreign ministry denies any involvement and calls the claims a smear.",
        "Two suspects are detained; one is released without charge two days later.",
        "Parliament in {country} holds a closed hearing on Operation {codename}.",
        "{country} summons the {nationality} ambassador over the {subject}.",
        "Investigators publish a technical report attributing the {subject} to a state-linked group.",
        "A court in {country} sets a trial date for the main suspect.",
        "Allied governments issue a joint statement condemning the {subject}.",
    ];

    private static readonly string[] FactTemplates =
    [
        "Investigators seized {n} devices during searches linked to Operation {codename}.",
        "The activity went unnoticed for about {n} months before it was detected.",
        "{n} diplomats were expelled in response to the {subject}.",
        "Officials put the cost of the damage at roughly {n} million euros.",
        "At least {n} companies and public bodies were affected.",
        "The first alert came from {organisation}, which reported the anomaly to the authorities.",
        "The main suspect had worked in {country} for {n} years before the arrests.",
        "{nationality} state media did not mention the {subject} for {n} days.",
    ];

    private static readonly string[] QuoteTemplates =
    [
        "We will not tolerate {a-subject} on our territory, whoever is behind it.",
        "These accusations are groundless and politically motivated.",
        "Operation {codename} shows how far a hostile state is willing to go.",
        "We are cooperating fully with the investigation and have nothing to hide.",
    ];

    private static readonly string[] QuoteContexts = ["at a press conference", "in a televised interview", "in a written statement", "before a parliamentary committee"];

    private static readonly string[] Statuses =
    [
        "Investigation ongoing; no charges filed yet.",
        "Trial scheduled; the main suspect denies the accusations.",
        "Closed without charges after the suspects left the country.",
        "Diplomatic talks suspended pending the outcome of the inquiry.",
    ];

    private static readonly DateOnly FirstDay = new(2001, 1, 1);
    private static readonly int DayRange = new DateOnly(2024, 6, 30).DayNumber - FirstDay.DayNumber;

    private readonly Random _random;
    private readonly HashSet<string> _codenames = new(StringComparer.Ordinal);
    private readonly string[] _categories;
    private int _index;

    public IncidentGenerator(int seed)
    {
        _random = new Random(seed);
        // The importer's own list, in a fixed order so the output does not depend on HashSet iteration.
        _categories = IncidentJson.Categories.Order(StringComparer.Ordinal).ToArray();
    }

    public static IEnumerable<GeneratedIncident> Generate(int count, int seed)
    {
        var generator = new IncidentGenerator(seed);
        for (var i = 0; i < count; i++) yield return generator.Next();
    }

    /// <summary>Writes <paramref name="count"/> incidents as JSONL (<see cref="IncidentJson.Serialize"/>, one per line).</summary>
    public static async Task WriteJsonLinesAsync(string path, int count, int seed, CancellationToken cancellationToken)
    {
        var temporary = path + ".partial";
        await using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 1 << 16))
        {
            foreach (var generated in Generate(count, seed))
            {
                await writer.WriteAsync(IncidentJson.Serialize(generated.Incident).AsMemory(), cancellationToken);
                await writer.WriteAsync('\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    public GeneratedIncident Next()
    {
        var index = _index++;
        var codename = NewCodename();
        var codenameLower = codename.ToLowerInvariant();
        var category = _categories[_random.Next(_categories.Length)];
        var subjects = Subjects.GetValueOrDefault(category) ?? GenericSubjects;
        var subject = Pick(subjects);
        var (nationality, country) = Pick(Nationalities);
        var (place, placeCountry) = Pick(Places);
        var title = Title(nationality, subject, place);

        var slugWords = subject.Replace("-", " ", StringComparison.Ordinal).Split(' ').Take(2);
        var slug = string.Join('-', [codenameLower, .. slugWords]);

        var aliases = new List<string> { $"operation {codenameLower}", $"{codenameLower} {Pick(AffairWords)}" };
        if (_random.Next(2) == 0) aliases.Add($"{nationality.ToLowerInvariant()} {subject}");

        var timeline = Timeline(subject, nationality, country, placeCountry, place, codename);
        var lastDay = timeline.Max(e => e.Day);
        var person = $"{Pick(FirstNames)} {Pick(LastNames)}";
        var organisation = Pick(Organisations);
        var government = _random.Next(2) == 0 ? $"Ministry of Foreign Affairs of {placeCountry}" : $"Security Service of {placeCountry}";
        string Fill(string template) => template
            .Replace("{a-subject}", WithArticle(subject), StringComparison.Ordinal)
            .Replace("{subject}", subject, StringComparison.Ordinal)
            .Replace("{nationality}", nationality, StringComparison.Ordinal)
            .Replace("{country}", placeCountry, StringComparison.Ordinal)
            .Replace("{place}", place, StringComparison.Ordinal)
            .Replace("{codename}", codename, StringComparison.Ordinal)
            .Replace("{organisation}", organisation, StringComparison.Ordinal)
            .Replace("{n}", (_random.Next(2, 60)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var (publisher, domain) = Pick(Publishers);
        var incident = new Incident
        {
            Slug = slug,
            Title = title,
            Aliases = aliases,
            Category = category,
            Tags = _random.Next(3) == 0 ? [_categories[_random.Next(_categories.Length)]] : [],
            Summary =
                $"{country} is accused of {WithArticle(subject)} {Pick(Prepositions)} {place}, known to investigators as Operation {codename}. " +
                $"The case came to light in {lastDay.ToString("MMMM yyyy", CultureInfo.InvariantCulture)} after a tip-off from {organisation}. " +
                $"{country} denies any wrongdoing and says the accusations are politically motivated.",
            Countries = country == placeCountry ? [country] : [placeCountry, country],
            Status = _random.Next(2) == 0 ? Pick(Statuses) : null,
            Timeline = timeline.Select(e => new TimelineEvent(e.Date, Fill(e.Template))).ToList(),
            Actors =
            [
                new Actor(government, "government", $"Leads the official response to Operation {codename}"),
                new Actor(person, "person", _random.Next(2) == 0 ? "Main suspect, denies the accusations" : $"Investigating officer in {placeCountry}"),
                new Actor(organisation, "organisation", $"First reported the {subject} to the authorities"),
            ],
            Facts = FactTemplates.OrderBy(_ => _random.Next()).Take(4).Select(Fill).ToList(),
            Quotes = [new Quote(Fill(Pick(QuoteTemplates)), _random.Next(2) == 0 ? person : government, Pick(QuoteContexts))],
            Sources =
            [
                new Source(publisher, $"{Pick(FirstNames)} {Pick(LastNames)}", $"{nationality} {subject} {Pick(Prepositions)} {place}, officials say",
                    PartialDate.FromDateOnly(lastDay), $"https://www.{domain}/{lastDay.Year}/{lastDay.Month:D2}/{slug}"),
            ],
        };
        return new GeneratedIncident(index, incident, codename);
    }

    private string NewCodename()
    {
        while (true)
        {
            var syllables = _random.Next(3) == 0 ? 4 : 3;
            var builder = new StringBuilder();
            for (var i = 0; i < syllables; i++) builder.Append(Pick(Syllables));
            builder[0] = char.ToUpperInvariant(builder[0]);
            var codename = builder.ToString();
            if (codename.Length >= 6 && _codenames.Add(codename)) return codename;
        }
    }

    private string Title(string nationality, string subject, string place)
    {
        while (true)
        {
            var qualifier = _random.Next(2) == 0 ? Pick(Qualifiers) + " " : "";
            var title = $"{qualifier}{nationality} {subject} {Pick(Prepositions)} {place}";
            var words = title.Split(' ').Length;
            if (words is >= 4 and <= 8) return title;
            (place, _) = Pick(Places);
        }
    }

    private List<(PartialDate Date, DateOnly Day, string Template)> Timeline(
        string subject, string nationality, string country, string placeCountry, string place, string codename)
    {
        var count = _random.Next(2, 5);
        var day = FirstDay.AddDays(_random.Next(DayRange));
        var templates = EventTemplates.OrderBy(_ => _random.Next()).Take(count).ToList();
        var events = new List<(PartialDate, DateOnly, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = _random.Next(100);
            // Mostly day-precise; the early, vaguer part of a story is often known only to the month or year.
            var date = roll < 55 ? PartialDate.FromDateOnly(day)
                : roll < 85 ? new PartialDate(day.Year, day.Month)
                : new PartialDate(day.Year);
            events.Add((date, day, templates[i]));
            day = day.AddDays(_random.Next(1, 120));
        }

        return events;
    }

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];

    private static string WithArticle(string noun) => ("aeiou".Contains(noun[0], StringComparison.Ordinal) ? "an " : "a ") + noun;

    /// <summary>One realistic slip of the keyboard in a name: a swap, a drop, a double or a neighbouring key.</summary>
    public static string Typo(string word, Random random)
    {
        const string keyboard = "qwertyuiopasdfghjklzxcvbnm";
        var chars = word.ToCharArray().ToList();
        // Keep the first letter: people rarely get that wrong, and it keeps the typo a typo.
        var at = random.Next(1, chars.Count - 1);
        switch (random.Next(4))
        {
            case 0:
                (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
                if (chars[at] == chars[at + 1]) chars.RemoveAt(at);
                break;
            case 1:
                chars.RemoveAt(at);
                break;
            case 2:
                chars.Insert(at, chars[at]);
                break;
            default:
                var key = keyboard.IndexOf(char.ToLowerInvariant(chars[at]), StringComparison.Ordinal);
                chars[at] = key < 0 ? 'e' : keyboard[key == keyboard.Length - 1 ? key - 1 : key + 1];
                break;
        }

        return new string(chars.ToArray());
    }
}
