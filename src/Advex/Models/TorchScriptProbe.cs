namespace Advex.Models;

using System.Collections.Concurrent;
using System.Diagnostics;

/// <summary>
/// libtorch compiles a TorchScript archive's code while it loads it, and some errors in that code (a class that does
/// not parse, an unknown type or operator) are thrown where nothing can catch them: libtorch calls
/// <c>std::terminate</c> and the process aborts (SIGABRT). So a TorchScript file is first loaded by a probe process
/// (this program again, <c>advex __load-torchscript FILE</c>); when the probe dies, the model is refused with
/// libtorch's own reason, in one line, and this process never loads it. A file that passed is not probed again
/// while its size and time are unchanged. Without the <c>advex</c> program at hand (a library host), the probe is
/// skipped.
/// </summary>
public static class TorchScriptProbe
{
    /// <summary>The hidden command the probe process runs.</summary>
    public const string Command = "__load-torchscript";

    /// <summary>How long a probe may take.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private static readonly ConcurrentDictionary<(string, long, DateTime), bool> Passed = new();

    /// <summary>Throws naming <paramref name="path"/> when loading it kills a probe process.</summary>
    public static void Check(string path)
    {
        var info = new FileInfo(Path.GetFullPath(path));
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc);
        if (Passed.ContainsKey(key) || Launcher() is not { } psi) return;
        psi.ArgumentList.Add(Command);
        psi.ArgumentList.Add(info.FullName);
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
        psi.Environment["OMP_NUM_THREADS"] = "1";
        var err = new System.Text.StringBuilder();
        Process? started;
        try
        {
            started = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return; // no dotnet to run the probe with: load in this process, as a library host does
        }
        using var p = started ?? throw new AdvexException($"cannot start a process to load TorchScript model {path}");
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (err) err.AppendLine(e.Data); };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + Patience;
        try
        {
            while (!p.WaitForExit(200))
            {
                Interruption.ThrowIfRequested(() => $"while loading {path}; nothing was written");
                if (DateTime.UtcNow > deadline)
                    throw new AdvexException($"cannot load TorchScript model {path}: libtorch did not finish loading it in {Patience.TotalSeconds:0} s");
            }
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
        p.WaitForExit();
        if (p.ExitCode is 0 or 2) // loaded, or failed with an error this process catches as well
        {
            Passed[key] = true;
            return;
        }
        string text;
        lock (err) text = err.ToString();
        throw new AdvexException($"cannot load TorchScript model {path}: libtorch aborted while compiling its code: {Reason(text, p.ExitCode)}");
    }

    /// <summary>The probe itself: loads the file and exits 0, or 2 on an error libtorch lets us catch.</summary>
    public static int Run(string path, TextWriter stderr)
    {
        Native.TorchRuntime.EnsureLoaded();
        try
        {
            using var module = TorchSharp.torch.jit.load(path);
            return 0;
        }
        catch (Exception e)
        {
            stderr.WriteLine(Native.NativeErrors.Cause(e.Message));
            return 2;
        }
    }

    /// <summary>libstdc++'s "what():" text, reduced to its first line and the file and line it names.</summary>
    internal static string Reason(string stderr, int exit)
    {
        var lines = stderr.Split('\n').Select(l => l.Trim()).ToList();
        var what = lines.FindIndex(l => l.StartsWith("what():", StringComparison.Ordinal));
        if (what < 0) return exit > 128 ? $"the loading process died of signal {exit - 128}" : $"the loading process exited with {exit}";
        var rest = lines.Skip(what).Select((l, i) => i == 0 ? l["what():".Length..].Trim() : l).Where(l => l.Length > 0).ToList();
        var first = rest.FirstOrDefault() ?? "no reason given";
        var where = rest.FirstOrDefault(l => l.StartsWith("File \"", StringComparison.Ordinal));
        return where is null ? first : $"{first.TrimEnd(':')} ({where.Replace("File ", "").Replace("\"", "")})";
    }

    /// <summary>This program again (the advex apphost, or dotnet with Advex.Cli.dll), or null when there is none.</summary>
    private static ProcessStartInfo? Launcher()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) is "Advex.Cli" or "advex") return new ProcessStartInfo(self);
        var cli = Path.Combine(AppContext.BaseDirectory, "Advex.Cli.dll");
        if (!File.Exists(cli)) return null;
        var dotnet = self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? self
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var psi = new ProcessStartInfo(dotnet);
        psi.ArgumentList.Add(cli);
        return psi;
    }
}
