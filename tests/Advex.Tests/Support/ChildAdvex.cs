namespace Advex.Tests.Support;

using System.Diagnostics;

/// <summary>
/// <c>advex</c> as a child process (the built Advex.Cli.dll under <c>dotnet</c>, one libtorch thread), with its
/// output collected line by line, so a test can wait for a line, kill it (SIGKILL) or signal it (SIGINT, SIGTERM).
/// </summary>
public sealed class ChildAdvex : IDisposable
{
    private readonly Process process;
    private readonly List<string> lines = [];
    private readonly System.Text.StringBuilder stdout = new();
    private readonly System.Text.StringBuilder stderr = new();

    private ChildAdvex(Process process) => this.process = process;

    public int Pid => process.Id;
    public string Out { get { lock (lines) return stdout.ToString(); } }
    public string Err { get { lock (lines) return stderr.ToString(); } }

    public static ChildAdvex Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Advex.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["OMP_NUM_THREADS"] = "1";
        psi.Environment.Remove(Advex.IO.AtomicFile.PauseVariable);
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var child = new ChildAdvex(Process.Start(psi)!);
        child.process.OutputDataReceived += (_, e) => child.Add(e.Data, child.stdout);
        child.process.ErrorDataReceived += (_, e) => child.Add(e.Data, child.stderr);
        child.process.BeginOutputReadLine();
        child.process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs to the end and returns the exit code.</summary>
    public static (int Exit, string Out, string Err) Run(IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? env = null)
    {
        using var child = Start(args, env);
        var code = child.WaitForExit(TimeSpan.FromMinutes(5));
        return (code, child.Out, child.Err);
    }

    private void Add(string? line, System.Text.StringBuilder into)
    {
        if (line is null) return;
        lock (lines)
        {
            lines.Add(line);
            into.AppendLine(line);
            Monitor.PulseAll(lines);
        }
    }

    /// <summary>Waits until a line (stdout or stderr) satisfies <paramref name="match"/>; fails the test on timeout
    /// or when the process ends first.</summary>
    public string WaitForLine(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (lines)
        {
            while (true)
            {
                if (lines.FirstOrDefault(match) is { } found) return found;
                if (process.HasExited && process.WaitForExit(1000) && lines.FirstOrDefault(match) is null)
                    throw new Xunit.Sdk.XunitException($"advex exited ({process.ExitCode}) before the line; stderr: {stderr}");
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new Xunit.Sdk.XunitException($"no such line in {timeout}; output: {stdout}{stderr}");
                Monitor.Wait(lines, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
        }
    }

    /// <summary>kill -9: the process gets no chance to clean up.</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, Pid.ToString()]);
        kill.WaitForExit();
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"advex did not finish in {timeout}");
        }
        process.WaitForExit(); // drain the output
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.Dispose();
    }
}
