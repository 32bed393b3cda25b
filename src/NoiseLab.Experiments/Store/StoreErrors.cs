using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace NoiseLab.Experiments;

/// <summary>
/// Turns a database driver's error into the words of a sentence NoiseLab can finish: the cause, in plain
/// language, without the driver's error number or type name (SQLite's "Error 13" means a full disk).
/// </summary>
public static class StoreErrors
{
    /// <summary>What went wrong, as a clause: e.g. "the disk holding it is full".</summary>
    public static string Describe(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            // The primary result code is the low byte; the extended codes only refine it.
            SqliteException sqlite => (sqlite.SqliteErrorCode & 0xFF) switch
            {
                3 or 23 => "the file or its folder may not be written by this user (check its permissions)",
                5 or 6 => "another process held it locked for longer than the 120 s busy timeout",
                8 => "it is read-only (a read-only file or mount)",
                10 => $"the disk reported an input/output error ({Detail(sqlite)})",
                11 => "the file is damaged",
                13 => "the disk holding it is full (free some space)",
                14 => "the file cannot be opened: it is a folder, its folder cannot be created, or it may not be read",
                26 => "the file is not an SQLite database",
                _ => Detail(sqlite),
            },
            DbException db when db.GetType().Namespace == "Npgsql" =>
                $"the PostgreSQL server could not be reached or closed the connection ({Detail(db)})",
            IOException or TimeoutException => $"the connection failed ({Detail(error)})",
            _ => Detail(error),
        };
    }

    // The driver's own words without its "SQLite Error N: '...'" wrapping or a trailing full stop.
    private static string Detail(Exception error)
    {
        string message = error.Message.Trim();
        if (message.StartsWith("SQLite Error ", StringComparison.Ordinal) && message.IndexOf(':', StringComparison.Ordinal) is int colon and > 0)
            message = message[(colon + 1)..].Trim().Trim('\'', '.').Trim('\'');
        if (error.InnerException is { } inner && error is not SqliteException && inner.Message.Length > 0)
            message = $"{message.TrimEnd('.')}: {inner.Message.Trim()}";
        return message.TrimEnd('.');
    }
}
