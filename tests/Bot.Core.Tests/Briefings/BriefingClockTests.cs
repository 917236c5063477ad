using Bot.Core.Briefings;
using Quartz;

namespace Bot.Core.Tests.Briefings;

public class BriefingClockTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private static Subscription At(string time, string zone = "Europe/Paris") => new()
    {
        Platform = "test",
        Workspace = "w",
        Channel = "c",
        Kind = BriefingKind.Digest,
        LocalTime = TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture),
        TimeZone = zone,
    };

    [Theory]
    [InlineData("2026-03-27")] // spring forward on 29 March 2026
    [InlineData("2026-10-23")] // fall back on 25 October 2026
    public void A_0900_digest_fires_at_0900_local_every_day_across_a_daylight_saving_change(string start)
    {
        var subscription = At("09:00");
        var instant = new DateTimeOffset(DateOnly.Parse(start, System.Globalization.CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(0, 0)), TimeSpan.Zero);
        var fires = new List<DateTimeOffset>();
        for (var i = 0; i < 5; i++)
        {
            instant = BriefingClock.Next(subscription, instant);
            fires.Add(instant);
        }

        Assert.All(fires, f => Assert.Equal(new TimeOnly(9, 0), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(f, Paris).DateTime)));
        var days = fires.Select(f => BriefingClock.LocalDate(f, Paris)).ToList();
        Assert.Equal(days.Distinct().Count(), days.Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => days[0].AddDays(i)), days);
    }

    [Fact]
    public void Quartz_cron_in_the_subscription_zone_agrees_across_both_changes()
    {
        var subscription = At("09:00");
        var cron = new CronExpression(Bot.Jobs.BriefingCron.For(subscription), Paris);
        var instant = new DateTimeOffset(2026, 3, 27, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 220; i++)
        {
            var quartz = cron.GetNextValidTimeAfter(instant)!.Value;
            Assert.Equal(BriefingClock.Next(subscription, instant), quartz);
            instant = quartz;
        }
    }

    [Fact]
    public void A_time_that_does_not_exist_on_the_spring_forward_day_moves_to_the_first_minute_that_does()
    {
        var due = BriefingClock.DueOn(new DateOnly(2026, 3, 29), new TimeOnly(2, 30), Paris);

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)), due);
    }

    [Fact]
    public void A_time_that_happens_twice_on_the_fall_back_day_counts_once()
    {
        var subscription = At("02:30");
        var first = BriefingClock.DueOn(new DateOnly(2026, 10, 25), new TimeOnly(2, 30), Paris);
        var next = BriefingClock.Next(subscription, first);

        Assert.Equal(TimeSpan.FromHours(2), first.Offset);
        Assert.Equal(new DateOnly(2026, 10, 26), BriefingClock.LocalDate(next, Paris));
    }

    [Theory]
    [InlineData("Europe/Paris", true)]
    [InlineData("America/New_York", true)]
    [InlineData("UTC", true)]
    [InlineData("Mars/Olympus_Mons", false)]
    [InlineData("", false)]
    [InlineData("'; DROP TABLE subscriptions; --", false)]
    public void Time_zone_names_are_checked(string name, bool valid)
    {
        Assert.Equal(valid, BriefingClock.TryParseZone(name, out _));
    }
}
