namespace Bot.Core.Incidents.Editing;

/// <summary>What an editing operation did, for the chat reply or the CLI's exit code.</summary>
public abstract record EditResult
{
    public sealed record Done(Incident? Incident, string Summary) : EditResult;
    /// <summary>A field failed validation; <see cref="Field"/> names it as the form does.</summary>
    public sealed record Invalid(string Field, string Message) : EditResult;
    public sealed record NotFound(string Query, IReadOnlyList<string> Suggestions) : EditResult;
    /// <summary>Someone else saved first: nothing was written, and this is what the incident holds now.</summary>
    public sealed record Conflict(EditableIncident Current) : EditResult;
    public sealed record Refused(string Message) : EditResult;
}
