namespace Bot.Core.Answers;

/// <summary>
/// General English knowledge the engine needs: words that carry no topic, words that mean the same
/// in news about states, courts, technology and security, and how numbers are spelled. Nothing here
/// names an incident: incident names and aliases come from the store.
/// </summary>
internal static class Lexicon
{
    public static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "but", "if", "of", "in", "on", "at", "to", "for", "from", "by", "with", "about", "as", "into",
        "onto", "over", "under", "across", "out", "up", "off", "than", "then", "so", "too", "very", "just", "also", "still", "even", "ever",
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "done", "doing", "have", "has", "had", "having",
        "will", "would", "shall", "should", "can", "could", "may", "might", "must", "get", "got", "gets",
        "what", "which", "who", "whom", "whose", "when", "where", "why", "how", "whats", "whos", "wheres", "whens",
        "i", "me", "my", "we", "our", "you", "your", "he", "him", "his", "she", "her", "it", "its", "itself", "himself", "herself", "themselves", "they", "them", "their", "there",
        "this", "that", "these", "those", "such", "some", "any", "all", "each", "other", "another", "same",
        "s", "t", "d", "ll", "re", "ve", "m", "dont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent",
        "tell", "know", "say", "says", "said", "according", "please", "exactly", "actually", "really", "kind", "sort", "type",
        "thing", "things", "one", "ones", "name", "named", "happen", "happened", "anything", "something", "someone", "anyone",
        "mean", "means", "like", "way", "much", "many", "long", "year", "years", "date", "day", "time", "besides", "apart",
        "first", "again", "both", "either", "neither", "not", "no", "yes", "okay", "ok", "hey", "hi", "bot", "thanks",
        "after", "before", "while", "whilst", "during", "getting", "going", "until", "since", "via", "per", "within", "without",
        "isn", "aren", "wasn", "weren", "don", "doesn", "didn", "hasn", "haven", "hadn", "couldn", "wouldn", "shouldn",
        "stuff", "along", "ago", "through", "throughout", "here",
        // "Last week", "yesterday": when the asker heard of it, not when it happened.
        "week", "weeks", "yesterday", "today", "tonight", "lately",
    };

    /// <summary>
    /// Words that shape a question without naming what it is about ("describe", "respond", "really"):
    /// they count for less, so a sentence that says "says" instead of "describes" can still answer.
    /// </summary>
    public static readonly HashSet<string> LightWords = new(StringComparer.Ordinal)
    {
        "describe", "described", "description", "claim", "claimed", "argue", "argues", "argued", "state", "stated", "think", "believe",
        "consider", "respond", "responded", "response", "react", "reacted", "reply", "replied", "use", "used", "using", "word", "words",
        "term", "terms", "call", "called", "look", "looking", "need", "needs", "take", "took", "taken", "give", "gave", "really", "actually",
        "finally", "originally", "eventually", "basically", "currently", "recently", "initially", "exactly", "reportedly", "allegedly", "supposedly", "apparently", "big", "whole", "particular", "object", "objects", "reckon", "reckoned", "reckons", "together", "try", "late", "early", "supposed",
        "happen", "involve", "involved", "role", "part", "play", "played", "doing", "go", "going", "come", "coming", "make", "made",
        "want", "wants", "happened", "both", "either", "way", "about", "reason", "main", "also", "new", "old",
        // "Who is behind it", "what did they say back", "the camera move": the shape of the question, not its subject.
        "behind", "back", "move",
        // "The analyst quoted all through the piece": how the asker met someone, not what is asked about them.
        "quoted", "cited", "mentioned", "featured", "interviewed",
        // "What did Beijing insist it was for", "what excuse did China give": what was said matters, not how it was put.
        "insist", "insists", "insisted", "maintain", "maintains", "maintained", "contend", "contends", "contended",
        "explanation", "explanations", "excuse", "excuses", "justification",
        // "What's Dahua's status in the US": what is asked about Dahua, not a word any sentence would hold.
        "status", "situation",
    };

    /// <summary>
    /// Nouns that only say what kind of answer is wanted ("which country", "which person"): the
    /// answer is a name, and the sentence need not repeat the noun.
    /// </summary>
    public static readonly HashSet<string> AnswerKindNouns = new(StringComparer.Ordinal)
    {
        "country", "countries", "city", "cities", "place", "places", "nation", "region", "town", "person", "people", "man", "woman",
        "individual", "one", "ones", "year", "day", "month", "date", "number", "profession", "job", "occupation", "title", "position",
        "guy", "guys", "dude", "bloke", "lady", "fella", "folks", "island", "islands", "venue", "location",
    };

    /// <summary>Nouns asking what someone is: "X is a …" sentences answer them.</summary>
    public static readonly HashSet<string> IdentityNouns = new(StringComparer.Ordinal)
    {
        "profession", "job", "occupation", "career", "role", "position", "title", "background", "nationality", "professions", "jobs",
        "occupations", "careers", "roles", "positions", "titles",
    };

    /// <summary>Nouns asking for someone's exact words: a sentence with a quotation answers them best.</summary>
    public static readonly HashSet<string> WordingNouns = new(StringComparer.Ordinal)
    {
        "word", "words", "term", "phrase", "expression", "quote", "label", "wording", "nickname",
    };

    /// <summary>Verbs that report what someone says, for "how does X describe Y" questions.</summary>
    public static readonly HashSet<string> ReportingVerbs = new(StringComparer.Ordinal)
    {
        "say", "says", "said", "claim", "claims", "claimed", "argue", "argues", "argued", "describe", "describes", "described",
        "call", "calls", "called", "deny", "denies", "denied", "accuse", "accuses", "accused", "insist", "insists", "insisted",
        "state", "states", "stated", "warn", "warns", "warned", "fear", "fears", "feared", "note", "notes", "noted",
        "explain", "explains", "explained", "maintain", "maintains", "maintained", "confirm", "confirms", "confirmed",
    };

    /// <summary>Past forms of verbs for something becoming known, being seen or taking effect: its date is the date the incident gives.</summary>
    public static readonly HashSet<string> DisclosureVerbs = new(StringComparer.Ordinal)
    {
        "announced", "revealed", "reported", "published", "disclosed", "discovered", "uncovered", "exposed", "detected", "unveiled",
        "introduced", "imposed", "adopted", "enacted", "implemented", "made", "learned", "learnt", "found", "noticed", "known",
        "alleged", "issued", "spotted", "sighted", "seen", "observed", "tracked", "monitored", "identified",
    };

    /// <summary>Groups of words that stand for one another in a question.</summary>
    private static readonly string[][] SynonymGroups =
    [
        ["shoot", "shot", "down", "downed", "destroy", "destroyed", "brought", "bring", "knock", "knocked", "blast", "blasted"],
        ["debris", "wreckage", "remains", "remnants", "wreck", "pieces", "fragments"],
        ["recover", "recovered", "retrieve", "retrieved", "salvage", "salvaged", "collect", "fish", "haul", "hauled", "dredge", "dredged"],
        ["spot", "spotted", "detect", "detected", "sight", "sighted", "discover", "discovered", "notice", "noticed", "seen", "see"],
        ["spy", "spying", "spies", "espionage", "snoop", "snooping", "surveillance", "spook", "spooks"],
        ["balloon", "airship", "aerostat", "dirigible", "blimp", "aircraft", "craft", "gasbag", "floating", "float", "floaty", "contraption"],
        ["aircraft", "craft", "plane", "airplane"],
        ["sentence", "sentenced", "jail", "jailed", "prison", "imprisoned", "locked", "convict", "convicted", "punish", "punished", "term", "penalty", "bars"],
        ["camera", "cameras", "cctv", "webcam"],
        ["ban", "banned", "prohibit", "prohibited", "bar", "barred", "forbid", "forbade", "outlaw", "blacklist", "blacklisted"],
        ["restrict", "restriction", "curb", "curbs", "limit", "controls", "control", "choke", "choked", "clamp", "squeeze"],
        ["chip", "chips", "semiconductor", "semiconductors", "microchip", "microchips"],
        // Not "manufacturer": it shares its stem with "manufactured", and any company would cover the verb.
        ["company", "companies", "firm", "firms", "group", "business", "businesses", "corporation", "maker", "makers", "producer", "vendor", "brand", "brands",
            "contractor", "contractors", "supplier", "suppliers"],
        ["make", "made", "manufacture", "manufactured", "build", "built", "produce", "produced", "construct"],
        ["licence", "licences", "license", "licenses", "permit", "permits", "authorization", "authorisation", "approval", "approve", "approving"],
        ["computer", "laptop", "pc", "notebook"],
        ["steal", "stole", "stolen", "stealing", "theft", "rob", "robbed", "pilfer", "swipe", "swiped", "nick", "nicked", "pinch", "pinched"],
        ["hack", "hacker", "hackers", "hacking", "cyber", "cyberattack", "cyberattacks", "hacked"],
        ["accuse", "accused", "accusation", "blame", "blamed", "charge", "charged", "allege", "alleged", "suspect", "suspected"],
        ["visit", "trip", "travel", "journey", "go", "went"],
        ["postpone", "postponed", "delay", "delayed", "cancel", "cancelled", "canceled", "defer", "deferred", "scrap"],
        ["meet", "met", "meeting", "summit", "talks", "sit", "sat"],
        ["inquiry", "enquiry", "investigation", "probe", "commission", "investigate", "dig"],
        // "What does the balloon tell China", "what it learns", "useful to China": it gathers information.
        ["data", "information", "info", "details", "learn", "learns", "learned", "learnt", "useful", "insight", "insights"],
        ["army", "military", "pla"],
        ["close", "closed", "shut", "shutdown", "closure", "shutter", "shuttered"],
        ["secret", "clandestine", "covert", "undeclared", "hidden", "illegal", "unofficial"],
        ["dissident", "dissidents", "critic", "critics", "opponent", "opponents"],
        ["remove", "removing", "removal", "strip", "rip", "replace", "pull", "scrap", "dismantle", "get", "rid", "yank", "yanked", "yanking"],
        ["install", "installed", "installation", "put", "placed", "fitted"],
        ["building", "buildings", "site", "sites", "office", "offices", "premises", "establishment", "establishments", "facility", "facilities"],
        ["government", "administration", "authorities", "authority", "officials", "state", "executive", "ministries"],
        ["fear", "fears", "worry", "worried", "concern", "concerned", "afraid", "suspicion", "scared", "scare", "scary"],
        ["missile", "missiles", "weapon", "weapons", "rocket"],
        ["aerospace", "aviation", "aeronautic", "aeronautics"],
        ["recruit", "recruited", "recruitment", "enlist", "source", "sources", "informant"],
        ["threat", "risk", "danger", "menace"],
        ["navy", "naval", "sailor", "sailors", "seamen", "divers"],
        ["report", "study", "assessment"],
        // Not "writer": "reporter" stems to "report", and "who wrote" would then be covered by any sentence that "reports".
        ["journalist", "reporter", "correspondent"],
        ["article", "piece", "story"],
        ["regulator", "watchdog"],
        ["organisation", "organization", "ngo", "group", "charity", "unit", "agency", "body", "watchdog", "outfit", "team", "squad"],
        ["institute", "think", "tank", "thinktank"],
        ["evidence", "proof", "proofs"],
        ["backdoor", "backdoors", "back", "door"],
        ["tech", "technology", "technologies", "technological"],
        ["race", "rivalry", "competition", "compete", "contest"],
        ["toxic", "liability", "poisonous"],
        ["lawmaker", "lawmakers", "legislator", "legislators", "congressman", "senator", "senators", "parliamentarian", "parliamentarians", "mp", "mps", "politician", "politicians", "congress", "congressional", "congressmen", "congresswoman"],
        ["count", "counted", "counting", "tally", "tallied", "tot"],
        ["president", "leader", "head", "chief", "chiefs", "boss", "bosses", "heads", "leaders"],
        ["spokeswoman", "spokesperson", "spokesman", "spokespeople", "press", "secretary", "aide", "aides", "mouthpiece"],
        ["deny", "denied", "denies", "reject", "rejected", "refute"],
        ["job", "profession", "occupation", "career", "employ", "employed"],
        ["app", "application", "platform", "social", "network"],
        ["purpose", "aim", "goal", "objective", "intended", "designed", "for", "meant", "serve", "serving", "served"],
        ["weather", "meteorological", "meteorology", "climate"],
        // "China insists the thing was harmless": in news about spying, what is not military or spying is civilian.
        ["civilian", "harmless", "innocent", "innocuous", "benign", "peaceful"],
        ["accident", "accidental", "accidentally", "mistake", "mistaken", "stray", "strayed", "drift", "drifted", "off", "course"],
        ["watch", "monitor", "monitoring", "track", "tracking", "surveil", "keep", "eye", "tabs"],
        ["diaspora", "diasporas", "community", "communities", "expatriate", "expatriates", "overseas", "emigrant", "emigrants", "emigre", "emigres", "exile", "exiles", "expat", "expats"],
        ["fleet", "armada", "flotilla", "swarm"],
        ["ease", "eased", "easing", "cool", "calm", "defuse", "thaw"],
        ["respond", "responds", "responded", "response", "react", "reacts", "reacted", "reacting", "reaction", "handle", "handled", "handling"],
        ["researcher", "researchers", "analyst", "analysts", "expert", "experts", "scholar", "academic", "specialist"],
        ["alliance", "bloc", "club", "pact", "coalition"],
        ["riddled", "crawling", "infested", "teeming"],
        ["principle", "principles", "cornerstone", "tenet", "doctrine"],
        ["criticise", "criticised", "criticize", "criticized", "criticism", "critical", "hammer", "hammering", "slam", "slamming",
            "blast", "blasting", "attack", "attacking", "gripe", "complain", "complaint"],
        ["senate", "chamber"],
        ["incursion", "incursions", "intrusion", "intrusions", "intrude", "intruded", "trespass", "violation", "violations"],
        ["continent", "continents", "world", "worldwide", "global", "globe", "landmass", "landmasses"],
        ["scheme", "plot", "plan", "operation", "campaign"],
        ["secret", "secrets", "trade", "proprietary"],
        ["student", "study", "studying", "studied"],
        ["arrive", "arrived", "came", "come", "enter", "entered", "moved"],
        ["intercept", "interception", "eavesdrop", "listen", "capture"],
        ["communication", "communications", "signals", "calls"],
        ["national", "nationals", "citizen", "citizens"],
        ["centenary", "centennial", "hundredth", "anniversary"],
        ["top", "first", "leading", "dominant", "number"],
        ["justify", "justified", "reason", "grounds", "name", "cite", "cited", "because", "why"],
        ["sky", "skies", "airspace", "air", "airborne", "aerial"],
        ["sea", "seas", "ocean", "oceans", "water", "waters"],
        ["president", "presidency", "presidential"],
        ["gather", "gathers", "gathered", "collect", "collects", "collected", "harvest"],
        ["order", "ordered", "told", "tell", "instruct", "instructed", "demand", "demanded", "require", "required"],
        ["proud", "pride", "prides"],
        ["violate", "violates", "breach", "breaches", "contravene", "contrary", "against", "flout", "clash", "clashes", "conflict", "conflicts"],
        ["ask", "asked", "call", "called", "urge", "urged", "request", "requested", "press"],
        ["sell", "sold", "sale", "sales", "market", "marketing"],
        ["stop", "stopped", "prevent", "prevented", "block", "blocked", "halt", "halted", "hinder", "hold", "slow", "slows", "cease", "ceasing", "kneecap", "hobble", "cripple", "hamper"],
        ["carry", "carried", "carrying", "take", "taken", "taking"],
        ["hand", "pass", "transmit", "give", "send", "share", "transfer", "provide", "provided", "feed", "feeding", "fed"],
        ["effort", "efforts", "try", "trying", "tried", "attempt", "attempts"],
        ["hard", "difficult", "tricky", "tough"],
        ["separate", "distinguish", "tell", "apart", "differentiate"],
        ["want", "wants", "desire", "wish", "ambition", "aim"],
        ["defense", "defence"],
        ["party", "republican", "republicans", "democrat", "democrats", "gop", "camp", "side", "political"],
        ["target", "targets", "targeted", "victim", "victims"],
        ["look", "examine", "examines", "review", "reviews", "scrutinise", "scrutinize", "cover", "covers", "covering", "investigate"],
        ["equipment", "gear", "device", "devices", "hardware", "kit", "apparatus"],
        ["station", "stations", "outpost", "outposts"],
        ["police", "policing", "enforcement", "cop", "cops"],
        ["ministry", "ministries", "department", "departments", "diplomat", "diplomats", "diplomatic"],
        ["publish", "published", "release", "released", "issue", "issued", "reveal", "revealed", "expose", "exposed", "uncover", "uncovered", "disclose", "disclosed"],
        ["own", "owns", "owned", "owner", "owners", "parent"],
        ["coast", "coastline", "shore", "shoreline", "offshore"],
        ["export", "exports", "exported", "exporting", "shipment", "shipments", "shipping"],
        ["based", "headquartered", "headquarters", "hq"],
        ["employee", "employees", "staffer", "staffers", "worker", "workers", "employed"],
        ["uk", "britain", "british", "england", "london"],
        ["us", "usa", "america", "american", "americans", "washington", "united", "states"],
        ["china", "chinese", "beijing", "prc"],
        ["france", "french", "paris"],
        ["australia", "australian", "australians", "canberra"],
        ["netherlands", "dutch", "holland"],
        ["czech", "czechia", "prague"],
    ];

    /// <summary>
    /// Everyday words a question may use that a news store need not hold: they are never "corrected"
    /// into a store word that merely looks alike ("minutes" is not a misspelt "minute").
    /// </summary>
    private static readonly HashSet<string> CommonWords = new(StringComparer.Ordinal)
    {
        "cost", "costs", "price", "prices", "cheap", "expensive", "money", "dollar", "dollars", "euro", "euros", "pound", "pounds",
        "today", "tomorrow", "yesterday", "tonight", "weekend", "minute", "minutes", "hour", "hours", "second", "seconds", "weather",
        "best", "better", "good", "great", "bad", "worse", "worst", "recommend", "recommendation", "learn", "learning", "teach",
        "cook", "cooking", "recipe", "recipes", "food", "eat", "eating", "drink", "movie", "movies", "film", "films", "book", "books",
        "novel", "novels", "song", "songs", "music", "game", "games", "play", "player", "players", "team", "teams", "score", "won",
        "win", "winner", "world", "cup", "football", "soccer", "sport", "sports", "password", "reset", "login", "account", "email",
        "phone", "computer", "laptop", "internet", "website", "app", "apps", "install", "download", "update", "help", "please",
        "thanks", "thank", "hello", "people", "person", "children", "child", "family", "friend", "friends", "house", "home", "city",
        "capital", "country", "countries", "population", "language", "languages", "spanish", "english", "french", "german",
        "chinese", "japanese", "translate", "meaning", "define", "definition", "calories", "healthy", "health", "doctor",
        "medicine", "boil", "boiled", "egg", "eggs", "banana", "bananas", "apple", "apples", "coffee", "tea", "water", "rate",
        "rates", "exchange", "stock", "stocks", "market", "markets", "invest", "bitcoin", "currently", "current", "latest", "news",
        "exactly", "really", "actually", "big", "bigger", "biggest", "small", "smaller", "large", "larger", "tall", "old", "older",
        "young", "age", "aged", "born", "birthday", "married", "wife", "husband", "died", "dead", "death", "alive",
        "delete", "deleted", "remove", "cancel", "subscription", "order", "delivery", "weight", "height", "feet", "metres", "meters",
    };

    /// <summary>Places a "where" answer may name, beyond those written after "in", "off" or "at".</summary>
    public static readonly HashSet<string> PlaceWords = new(StringComparer.Ordinal)
    {
        "africa", "america", "americas", "antarctica", "arctic", "asia", "atlantic", "australia", "austria", "baltic", "beijing", "belgium",
        "berlin", "brazil", "britain", "brussels", "california", "canada", "canberra", "carolina", "china", "czech", "czechia", "denmark",
        "england", "estonia", "europe", "finland", "france", "germany", "greece", "hong", "kong", "india", "indonesia", "bali", "iran",
        "iraq", "ireland", "israel", "italy", "japan", "kenya", "korea", "latvia", "lithuania", "london", "madrid", "mexico", "moscow",
        "netherlands", "holland", "norway", "ocean", "pacific", "paris", "poland", "prague", "russia", "scotland", "shanghai", "spain",
        "sweden", "switzerland", "taiwan", "tibet", "tokyo", "turkey", "ukraine", "kingdom", "states", "usa", "washington", "beach",
        "sea", "strait", "island", "islands", "coast", "montana", "alaska", "hawaii", "texas", "florida", "virginia", "york", "sydney",
        "melbourne", "brisbane", "wales", "hague", "amsterdam", "rotterdam", "vienna", "rome", "milan", "lyon", "oslo", "helsinki",
        "stockholm", "tallinn", "vilnius", "warsaw", "gdansk", "manila", "seoul", "busan", "hokkaido", "vancouver", "toronto", "ottawa",
        "nairobi", "wellington", "zealand", "philippines", "vietnam", "pakistan", "belarus", "syria", "cuba", "venezuela", "arabia",
        "xinjiang", "myrtle", "gulf", "river", "mountains", "region", "province", "continent", "continents",
    };

    /// <summary>Words that make a capitalised name an organisation ("US State Department", "French Senate").</summary>
    public static readonly HashSet<string> OrganisationWords = new(StringComparer.Ordinal)
    {
        "department", "ministry", "commission", "senate", "congress", "parliament", "government", "administration", "agency", "agencies",
        "group", "navy", "army", "court", "police", "services", "service", "council", "committee", "institute", "center", "centre",
        "defenders", "company", "corporation", "inc", "ltd", "bureau", "office", "republicans", "democrats", "party", "nato", "fcc",
        "fbi", "cia", "doj", "authorities", "house", "justice", "intelligence", "aviation", "university", "bank", "union", "alliance",
        "state", "system", "regulator", "ifri", "rfi", "lawmakers", "parliamentarians", "officials", "official", "spokeswoman", "spokesman",
    };

    /// <summary>Places larger than a country: "which city" is not answered by one either, nor "which country".</summary>
    public static readonly HashSet<string> ContinentWords = new(StringComparer.Ordinal)
    {
        "africa", "americas", "antarctica", "arctic", "asia", "europe", "oceania", "continent", "continents",
    };

    /// <summary>Place words that name a country: "which city" is not answered by one.</summary>
    public static readonly HashSet<string> CountryWords = new(StringComparer.Ordinal)
    {
        "america", "australia", "austria", "belgium", "brazil", "britain", "canada", "china", "czech", "czechia", "denmark", "england",
        "estonia", "finland", "france", "germany", "greece", "india", "indonesia", "iran", "iraq", "ireland", "israel", "italy", "japan",
        "kenya", "korea", "latvia", "lithuania", "mexico", "netherlands", "holland", "norway", "poland", "russia", "scotland", "spain",
        "sweden", "switzerland", "taiwan", "turkey", "ukraine", "kingdom", "states", "usa", "wales", "zealand", "philippines", "vietnam",
        "pakistan", "belarus", "syria", "cuba", "venezuela", "arabia",
    };

    /// <summary>A nationality and its country, so that "the French Senate" answers "which country's senate".</summary>
    public static readonly Dictionary<string, string> CountryOfNationality = new(StringComparer.Ordinal)
    {
        ["american"] = "The United States",
        ["australian"] = "Australia",
        ["austrian"] = "Austria",
        ["belgian"] = "Belgium",
        ["british"] = "The United Kingdom",
        ["canadian"] = "Canada",
        ["chinese"] = "China",
        ["czech"] = "The Czech Republic",
        ["danish"] = "Denmark",
        ["dutch"] = "The Netherlands",
        ["estonian"] = "Estonia",
        ["finnish"] = "Finland",
        ["french"] = "France",
        ["german"] = "Germany",
        ["greek"] = "Greece",
        ["indian"] = "India",
        ["indonesian"] = "Indonesia",
        ["iranian"] = "Iran",
        ["irish"] = "Ireland",
        ["israeli"] = "Israel",
        ["italian"] = "Italy",
        ["japanese"] = "Japan",
        ["latvian"] = "Latvia",
        ["lithuanian"] = "Lithuania",
        ["mexican"] = "Mexico",
        ["norwegian"] = "Norway",
        ["polish"] = "Poland",
        ["russian"] = "Russia",
        ["spanish"] = "Spain",
        ["swedish"] = "Sweden",
        ["swiss"] = "Switzerland",
        ["taiwanese"] = "Taiwan",
        ["turkish"] = "Turkey",
        ["ukrainian"] = "Ukraine",
    };

    /// <summary>Nouns of a "which city" question: a country does not answer it.</summary>
    public static readonly HashSet<string> CityNouns = new(StringComparer.Ordinal) { "city", "cities", "town", "towns", "capital", "capitals" };

    /// <summary>Nouns of a "which country" question: a nationality ("the French Senate") answers it.</summary>
    public static readonly HashSet<string> CountryNouns = new(StringComparer.Ordinal) { "country", "countries", "nation", "nations" };

    /// <summary>Nouns asking for a business: a government body or a country does not answer them.</summary>
    public static readonly HashSet<string> BusinessNouns = new(StringComparer.Ordinal)
    {
        "company", "companies", "firm", "firms", "maker", "makers", "manufacturer", "manufacturers", "brand", "vendor", "supplier",
        "suppliers", "corporation", "business", "businesses", "contractor", "conglomerate", "conglomerates", "multinational",
    };

    /// <summary>Words that make a name a public body ("Australian government", "French Senate"), not a business.</summary>
    public static readonly HashSet<string> PublicBodyWords = new(StringComparer.Ordinal)
    {
        "government", "governments", "authorities", "ministry", "senate", "parliament", "congress", "department", "administration",
        "police", "navy", "army", "court", "officials", "official", "lawmakers", "commission", "regulator", "agency", "agencies", "state",
        "house", "council", "committee", "republicans", "democrats", "party", "fcc", "fbi", "cia", "nato", "mp", "senator",
    };

    /// <summary>Nouns that make "which X" ask for a place.</summary>
    public static readonly HashSet<string> PlaceNouns = new(StringComparer.Ordinal)
    {
        "country", "countries", "city", "cities", "island", "islands", "place", "places", "state", "region", "capital", "town", "nation",
        "continent", "continents", "ocean", "sea", "coast", "territory", "province", "location", "site", "sites", "where",
    };

    /// <summary>Nouns that make "which X" ask for a person.</summary>
    public static readonly HashSet<string> PersonNouns = new(StringComparer.Ordinal)
    {
        "person", "people", "man", "woman", "diplomat", "official", "officials", "leader", "leaders", "president", "minister", "secretary",
        "engineer", "officer", "spy", "researcher", "expert", "analyst", "senator", "lawmaker", "mp", "politician", "journalist", "author",
        "writer", "reporter", "spokeswoman", "spokesman", "spokesperson", "ceo", "founder", "chief", "head", "judge", "scientist", "hacker",
        "suspect", "individual", "boss", "director", "chair", "chairman", "chairwoman", "chairperson", "executive", "parliamentarian",
    };

    /// <summary>Titles one person holds: an organisation never answers "who is the minister".</summary>
    public static readonly HashSet<string> TitleNouns = new(StringComparer.Ordinal)
    {
        "president", "minister", "secretary", "senator", "mp", "ceo", "founder", "chief", "judge", "spokeswoman", "spokesman",
        "spokesperson", "reporter", "journalist", "author", "writer", "head", "boss", "director", "chair", "chairman", "chairwoman",
        "chairperson", "executive",
    };

    /// <summary>Nouns that make "which X" ask for an organisation.</summary>
    public static readonly HashSet<string> OrganisationNouns = new(StringComparer.Ordinal)
    {
        "company", "companies", "firm", "firms", "group", "groups", "organisation", "organization", "organisations", "organizations",
        "agency", "agencies", "department", "ministry", "government", "governments", "administration", "party", "camp", "alliance",
        "regulator", "court", "navy", "army", "unit", "institute", "institution", "university", "ngo", "body", "authority", "authorities", "maker",
        "makers", "manufacturer", "manufacturers", "giant", "corporation", "contractor", "contractors", "supplier", "suppliers", "network", "publisher", "outlet", "newspaper", "broadcaster", "publication", "tank",
        "commission", "committee", "council", "senate", "chamber", "parliament", "service", "services", "brand", "vendor", "supplier",
        "outfit", "outfits", "conglomerate", "conglomerates", "multinational",
    };

    public static bool IsCommonWord(string word) => CommonWords.Contains(word);

    private static readonly Dictionary<string, string[]> SynonymsByStem = BuildSynonyms(words: false);
    private static readonly Dictionary<string, string[]> WordsByStem = BuildSynonyms(words: true);

    public static readonly Dictionary<string, int> NumberWords = new(StringComparer.Ordinal)
    {
        ["one"] = 1,
        ["two"] = 2,
        ["three"] = 3,
        ["four"] = 4,
        ["five"] = 5,
        ["six"] = 6,
        ["seven"] = 7,
        ["eight"] = 8,
        ["nine"] = 9,
        ["ten"] = 10,
        ["eleven"] = 11,
        ["twelve"] = 12,
        ["thirteen"] = 13,
        ["fifteen"] = 15,
        ["twenty"] = 20,
        ["thirty"] = 30,
        ["forty"] = 40,
        ["fifty"] = 50,
        ["hundred"] = 100,
        ["thousand"] = 1000,
        ["dozen"] = 12,
        ["dozens"] = 24,
        ["million"] = 1_000_000,
        ["billion"] = 1_000_000_000,
        ["half"] = 0,
    };

    public static readonly string[] MonthNames =
    [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    ];

    /// <summary>Every stem that may stand for <paramref name="stem"/>, itself included.</summary>
    public static IReadOnlyList<string> Alternatives(string stem) =>
        SynonymsByStem.TryGetValue(stem, out var alternatives) ? alternatives : [stem];

    /// <summary>The plain words of <paramref name="stem"/>'s synonym groups, for the full-text query (which stems by itself).</summary>
    public static IReadOnlyList<string> AlternativeWords(string stem) =>
        WordsByStem.TryGetValue(stem, out var words) ? words : [];

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>"Which part of the government", "which branch of the administration": a body within it is asked for.</summary>
    public static readonly HashSet<string> PartWords = new(StringComparer.Ordinal) { "part", "branch", "arm", "wing", "section", "division", "bit" };

    /// <summary>Everyday short forms of first names: "jim paterson" means James Paterson.</summary>
    public static readonly Dictionary<string, string[]> FirstNameShortForms = new(StringComparer.Ordinal)
    {
        ["jim"] = ["james"],
        ["jimmy"] = ["james"],
        ["jamie"] = ["james"],
        ["tony"] = ["antony", "anthony"],
        ["mike"] = ["michael"],
        ["bob"] = ["robert"],
        ["rob"] = ["robert"],
        ["bill"] = ["william"],
        ["tom"] = ["thomas"],
        ["dick"] = ["richard"],
        ["rick"] = ["richard"],
        ["dave"] = ["david"],
        ["steve"] = ["steven", "stephen"],
        ["chris"] = ["christopher"],
        ["matt"] = ["matthew"],
        ["dan"] = ["daniel"],
        ["sam"] = ["samuel"],
        ["ben"] = ["benjamin"],
        ["alex"] = ["alexander"],
        ["liz"] = ["elizabeth"],
        ["kate"] = ["katherine", "catherine"],
        ["joe"] = ["joseph"],
        ["nick"] = ["nicholas"],
        ["andy"] = ["andrew"],
        ["pete"] = ["peter"],
        ["ted"] = ["edward"],
        ["greg"] = ["gregory"],
        ["jeff"] = ["jeffrey"],
    };

    /// <summary>"4" and "four" are one word to a reader: "those 4 chinese guys" meets "four Chinese nationals".</summary>
    private static string[][] Numerals() =>
    [
        ["2", "two"], ["3", "three"], ["4", "four"], ["5", "five"], ["6", "six"], ["7", "seven"], ["8", "eight"], ["9", "nine"],
        ["10", "ten"], ["11", "eleven"], ["12", "twelve"], ["15", "fifteen"], ["20", "twenty"], ["30", "thirty"], ["50", "fifty"],
    ];

    private static Dictionary<string, string[]> BuildSynonyms(bool words)
    {
        var groupsByStem = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var group in SynonymGroups.Concat(Numerals()))
        {
            // A stop word never satisfies a question on its own ("purpose" must not be met by "for").
            var members = group.Where(w => !StopWords.Contains(w)).ToList();
            var stems = members.Select(Stemmer.Stem).ToHashSet(StringComparer.Ordinal);
            var values = words ? members : [.. stems];
            foreach (var stem in stems)
            {
                if (!groupsByStem.TryGetValue(stem, out var set))
                    groupsByStem[stem] = set = new HashSet<string>(StringComparer.Ordinal);
                if (!words) set.Add(stem);
                set.UnionWith(values);
            }
        }

        return groupsByStem.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
    }
}
