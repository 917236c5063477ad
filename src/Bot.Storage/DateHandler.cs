using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Bot.Storage;

/// <summary>
/// How every store hands a moment to Dapper and back. SQLite has no time type: a moment is UTC ISO-8601
/// text ("O"), which sorts as it compares, so "due before now" is a text comparison. PostgreSQL keeps
/// it as timestamptz. Registered once per process; Dapper's handlers are global.
/// </summary>
public sealed class DateHandler : SqlMapper.TypeHandler<DateTimeOffset>
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) != 0) return;
        // Dapper's built-in mapping of DateTimeOffset wins over a handler for parameters until it is removed.
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset));
        SqlMapper.RemoveTypeMap(typeof(DateTimeOffset?));
        SqlMapper.AddTypeHandler(new DateHandler());
    }

    public static string ToText(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
    {
        if (parameter is SqliteParameter)
        {
            parameter.DbType = DbType.String;
            parameter.Value = ToText(value);
        }
        else
        {
            parameter.DbType = DbType.DateTimeOffset;
            parameter.Value = value.ToUniversalTime();
        }
    }

    public override DateTimeOffset Parse(object value) => value switch
    {
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        DateTimeOffset at => at,
        _ => throw new DataException($"Cannot read a moment from {value.GetType().Name}."),
    };
}
