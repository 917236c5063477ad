using System.Globalization;
using System.Runtime.InteropServices;

namespace Bot.Embeddings;

/// <summary>
/// Keeps the process's native memory near what the model needs. ONNX Runtime allocates with the C library's malloc:
/// glibc gives every thread that allocates its own arena (up to 8 per core) and keeps freed pages, so a one-off peak
/// (building the session, encoding a batch of passages) stays in the resident set for good. Everything here is a
/// hint to the C library or the kernel: where it is unavailable (not Linux, not glibc, an old kernel) nothing happens.
/// </summary>
public static class NativeHeap
{
    private const int MallocArenaMax = -8; // M_ARENA_MAX in glibc's malloc.h
    private const int MadvisePageOut = 21; // MADV_PAGEOUT, Linux 5.4+

    /// <summary>At most two malloc arenas, whatever the number of threads; call before the model is loaded.</summary>
    public static void LimitArenas() => Try(() => mallopt(MallocArenaMax, 2));

    /// <summary>Gives the heap's free pages back to the system (after the model is loaded and after vectors are built).</summary>
    public static void Trim() => Try(() => malloc_trim(0));

    /// <summary>
    /// Lets the kernel reclaim the pages of a file the process mapped and read once — the model's assembly, whose
    /// 90 MB resource was copied into the session. Pages are read from the file again if ever touched; pages the
    /// process wrote to are never dropped (MADV_PAGEOUT only reclaims what can be restored).
    /// </summary>
    public static void ReleaseFilePages(string path)
    {
        if (!OperatingSystem.IsLinux() || string.IsNullOrEmpty(path)) return;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                if (!line.EndsWith(path, StringComparison.Ordinal)) continue;
                var range = line[..line.IndexOf(' ', StringComparison.Ordinal)].Split('-');
                var start = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var end = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                Try(() => madvise((nint)start, (nuint)(end - start), MadvisePageOut));
            }
        }
        catch (IOException)
        {
            // No /proc: nothing to release.
        }
    }

    private static void Try(Func<int> call)
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            _ = call();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Another C library (musl has neither mallopt's arenas nor malloc_trim): its own defaults stand.
        }
    }

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int mallopt(int param, int value);

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);

    [DllImport("libc.so.6", ExactSpelling = true)]
    private static extern int madvise(nint address, nuint length, int advice);
}
