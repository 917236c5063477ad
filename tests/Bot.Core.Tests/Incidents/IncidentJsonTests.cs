using Bot.Core.Incidents;
using Bot.Core.Incidents.Import;
using Bot.Testing;

namespace Bot.Core.Tests.Incidents;

public class IncidentJsonTests
{
    private const string Minimal = """{"slug":"balloon","title":"Balloon","category":"Airspace","summary":"A balloon."}""";

    [Fact]
    public void A_minimal_incident_parses_with_empty_lists()
    {
        var incident = IncidentJson.Parse(Minimal);

        Assert.Equal("balloon", incident.Slug);
        Assert.Empty(incident.Timeline);
        Assert.Empty(incident.Aliases);
    }

    [Fact]
    public void Serialising_and_parsing_again_gives_the_same_incident()
    {
        var incident = TestIncidents.Make("round-trip", "Round trip", "Cyber", "rt") with
        {
            Quotes = [new Quote("short words", "Someone", "on testing")],
            Actors = [new Actor("Someone", "person", "Tester")],
            Countries = ["France"],
            Status = "Open",
            Related = ["other"],
        };

        var again = IncidentJson.Parse(IncidentJson.Serialize(incident));

        Assert.Equal(IncidentJson.Serialize(incident), IncidentJson.Serialize(again));
        Assert.Equal(incident.Timeline, again.Timeline);
    }

    [Theory]
    [InlineData("""{"title":"x","category":"Cyber","summary":"s"}""", "'slug' is missing")]
    [InlineData("""{"slug":"Bad Slug","title":"x","category":"Cyber","summary":"s"}""", "slug 'Bad Slug'")]
    [InlineData("""{"slug":"a","title":"x","category":"Sports","summary":"s"}""", "category 'Sports' is not one of")]
    [InlineData("""{"slug":"a","title":"x","category":"Cyber"}""", "a: 'summary' is missing")]
    [InlineData("""{"slug":"a","title":"x","category":"Cyber","summary":"s","timeline":[{"date":"Feb 2023","text":"t"}]}""", "timeline[0].date 'Feb 2023'")]
    [InlineData("""{"slug":"a","title":"x","category":"Cyber","summary":"s","sources":[{"publisher":"p","title":"t","url":"javascript:alert(1)"}]}""", "not an http(s) link")]
    [InlineData("""{"slug":"a","title":"x","category":"Cyber","summary":"s","colour":"red"}""", "invalid JSON")]
    [InlineData("""{"slug":"a",""", "invalid JSON")]
    [InlineData("null", "null")]
    [InlineData("[]", "invalid JSON")]
    public void A_faulty_document_is_refused_with_a_reason_a_person_can_act_on(string json, string reason)
    {
        var error = Assert.Throws<IncidentFormatException>(() => IncidentJson.Parse(json));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_seed_file_parses()
    {
        var files = Directory.GetFiles(Testing.RepoPaths.Seeds, "*.json");

        Assert.True(files.Length >= 11);
        foreach (var file in files)
        {
            var incident = IncidentJson.Parse(File.ReadAllText(file));
            Assert.Equal(Path.GetFileNameWithoutExtension(file), incident.Slug);
            Assert.NotEmpty(incident.Timeline);
            Assert.NotEmpty(incident.Actors);
            Assert.NotEmpty(incident.Facts);
            Assert.Contains(incident.Sources, s => s.Publisher == "RFI");
        }
    }
}
