namespace Bot.Storage;

/// <summary>
/// The store and its copies hold the team's notes and the ids of their channels: on Unix they are made
/// readable by their owner alone, as is a folder made for them. A folder the user chose keeps its mode.
/// Windows files inherit their folder's access list instead, which these methods leave alone.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OwnerBits = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // SQLite's companions of a database file; it creates them with the main file's mode, but ones
    // left from before were made under whatever mode the file had then.
    private static readonly string[] Companions = ["-wal", "-shm", "-journal"];

    /// <summary>Creates the folder and any missing parents as 0700; an existing folder is not touched.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        // .NET gives the mode to the last folder only; the missing parents are made one by one, outermost first.
        var missing = new Stack<string>();
        for (var folder = Path.GetFullPath(path); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
            missing.Push(folder);
        foreach (var folder in missing)
            Directory.CreateDirectory(folder, FolderMode);
    }

    /// <summary>
    /// Makes a database file (the store, a backup, an export) the owner's alone before SQLite writes to
    /// it: a missing one is created empty as 0600, which SQLite accepts as an empty database (also as the
    /// target of <c>VACUUM INTO</c> or a backup) and copies to its WAL and shared-memory files. An existing
    /// one and its leftover companions lose their group and other bits; a file the owner made read-only stays so.
    /// </summary>
    public static void PrepareDatabaseFile(string path)
    {
        if (OperatingSystem.IsWindows())
            return;
        try
        {
            using (new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode }))
            {
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            // There already: restricting it below is all that is left to do.
        }

        foreach (var file in Companions.Select(suffix => path + suffix).Prepend(path).Where(File.Exists))
        {
            var mode = File.GetUnixFileMode(file);
            if ((mode & ~OwnerBits) != 0)
                File.SetUnixFileMode(file, mode & OwnerBits);
        }
    }
}
