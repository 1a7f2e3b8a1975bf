namespace Advex.Native;

using System.Text.RegularExpressions;

/// <summary>
/// The cause inside a libtorch error message, as one line. libtorch appends C++ frames ("Exception raised from ...",
/// "frame #0: ..."); the TorchScript interpreter wraps the real error ("The following operation failed in the
/// TorchScript interpreter. Traceback ... RuntimeError: &lt;cause&gt;"), so the last "...Error: " line is the cause.
/// </summary>
public static partial class NativeErrors
{
    [GeneratedRegex(@"^\s*(?:[A-Za-z.]*Error|Exception): (.+)$")]
    private static partial Regex ErrorLine();

    /// <summary>True when libtorch failed to allocate memory (then the input's size, not its shape, is the cause).</summary>
    public static bool IsOutOfMemory(string message) =>
        message.Contains("not enough memory", StringComparison.OrdinalIgnoreCase)
        || message.Contains("allocate memory", StringComparison.OrdinalIgnoreCase)
        || message.Contains("bad_alloc", StringComparison.Ordinal)
        || message.Contains("Insufficient memory", StringComparison.OrdinalIgnoreCase);

    /// <summary>An allocation failure as one short clause: "libtorch could not allocate N bytes" when it says N.</summary>
    public static string OutOfMemory(string message) =>
        AllocationSize().Match(message) is { Success: true } m ? $"libtorch could not allocate {m.Groups[1].Value} bytes" : Cause(message);

    [GeneratedRegex(@"tried to allocate (\d+) bytes")]
    private static partial Regex AllocationSize();

    public static string Cause(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var cause = lines.Select(l => ErrorLine().Match(l)).LastOrDefault(m => m.Success)?.Groups[1].Value
                    ?? lines.FirstOrDefault(l => !l.StartsWith("The following operation failed", StringComparison.Ordinal))
                    ?? message;
        var frames = cause.IndexOf("Exception raised from", StringComparison.Ordinal);
        return (frames > 0 ? cause[..frames] : cause).Trim();
    }
}
