namespace Bot.Testing.Slack;

/// <summary>Settings for <see cref="FakeSlackServer"/>; <paramref name="Start"/> defaults to Unix time 1700000000.</summary>
public sealed record FakeSlackOptions(string SigningSecret = "fake-signing-secret", DateTimeOffset? Start = null);
