namespace Advex.Tests.Cli;

using System.Diagnostics;
using System.Text.RegularExpressions;
using Advex.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// Each long-running command as a person sees it in an 80-column terminal: <c>advex</c> runs under a pseudo-terminal
/// (util-linux <c>script</c>, <c>stty cols 80</c>), and the raw bytes it wrote are checked in order. The progress bar
/// shows a percentage strictly between 0 and 100 before the job's last line (it moves inside a one-batch job); no line
/// starts with a run of spaces left behind by the bar (a log line printed past a live bar); every line of the
/// robustness table fits 80 columns and each run is one line of it. With <c>--workers</c> the parent's bar is the
/// combination of its workers' own bars. <c>demo --quick</c> takes minutes: it runs only with
/// <c>ADVEX_SLOW_TESTS=1</c> (the test says so when skipped).
/// </summary>
public sealed partial class TerminalTests(ITestOutputHelper output)
{
    private const int Columns = 80;

    public static TheoryData<string, string, string> Commands() => new()
    {
        // name, arguments ({out} is a fresh folder), a line the job prints at its end
        { "eval", "eval --model {lenet} --attack pgd,autoattack --eps 0.1 --limit 8 --steps 5 --queries 100", "worst case over" },
        // the parent's one bar combines its workers' own progress (they run quiet, in other processes)
        { "eval --workers", "eval --model {lenet} --attack pgd --eps 0.1 --limit 60 --steps 40 --workers 2 --out {out}", "deterministic_model" },
        { "train", "train --limit 1000 --epochs 1 --out {out}", "model, checkpoint and curves written" },
        { "text train", "text train --epochs 1 --out {out}", "curves and JSON written" },
        { "gan train", "gan train --arch dcgan-small --limit 300 --epochs 1 --score-samples 100 --out {out}", "training time" },
        { "advgan train", "advgan train --target {lenet} --limit 300 --epochs 1 --out {out}", "training time" },
    };

    [SkippableTheory]
    [MemberData(nameof(Commands))]
    public void Command_in_an_80_column_terminal_moves_its_bar_and_leaves_clean_lines(string name, string args, string last)
    {
        var raw = RunInTerminal(args);
        output.WriteLine($"{name}: {raw.Length} bytes");
        AssertClean(raw, last, expectTable: name.StartsWith("eval", StringComparison.Ordinal));
        if (name == "eval --workers") Assert.Matches(@"\d workers?: attack", Plain(raw));
        if (name == "eval")
            foreach (var stage in new[] { "apgd-ce", "apgd-t", "fab-t", "square" })
                Assert.Contains($"autoattack: robust accuracy after {stage}:", Plain(raw));
        if (name == "gan train") Assert.Contains("train the scorer LeNet", Plain(raw));
    }

    [SkippableFact]
    public void Demo_quick_in_an_80_column_terminal_moves_its_bar_and_leaves_clean_lines()
    {
        Skip.IfNot(Environment.GetEnvironmentVariable("ADVEX_SLOW_TESTS") == "1", "demo --quick takes minutes: set ADVEX_SLOW_TESTS=1");
        var raw = RunInTerminal("demo --quick --out {out}", TimeSpan.FromMinutes(40));
        AssertClean(raw, "open the report:", expectTable: true);
    }

    private static void AssertClean(string raw, string last, bool expectTable)
    {
        var lines = Lines(raw);
        var end = lines.FindLastIndex(l => l.Contains(last, StringComparison.Ordinal));
        Assert.True(end >= 0, $"the job's last line ('{last}') is missing:\n{Tail(lines)}");
        var moving = lines.Take(end).Select(l => Percent().Match(l)).Where(m => m.Success)
            .Select(m => int.Parse(m.Groups[1].Value)).Where(p => p is > 0 and < 100).Distinct().ToList();
        Assert.True(moving.Count >= 1, $"no bar between 0 % and 100 % before the end:\n{Tail(lines)}");
        foreach (var line in lines)
            Assert.False(LeftOver().IsMatch(line), $"a line starts with a run of spaces left by the bar: '{line}'");
        if (!expectTable) return;
        var table = lines.Where(l => l.Contains('─') || l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(table);
        foreach (var line in table)
            Assert.True(line.TrimEnd().Length <= Columns, $"{line.TrimEnd().Length} columns: '{line}'");
    }

    /// <summary>Runs advex (the built Advex.Cli.dll, one libtorch thread) under a pseudo-terminal of 80 columns and
    /// returns every byte it wrote.</summary>
    private static string RunInTerminal(string args, TimeSpan? timeout = null)
    {
        Skip.IfNot(File.Exists("/usr/bin/script"), "util-linux script is missing");
        var dir = Paths.TempDir();
        var filled = args.Replace("{lenet}", Path.Combine(Paths.TorchScript, "lenet.pt")).Replace("{out}", Path.Combine(dir, "out"));
        var dll = Path.Combine(AppContext.BaseDirectory, "Advex.Cli.dll");
        var psi = new ProcessStartInfo("/usr/bin/script")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var a in new[] { "-qefc", $"stty cols {Columns} rows 40; exec dotnet '{dll}' {filled}", "/dev/null" })
            psi.ArgumentList.Add(a);
        psi.Environment["OMP_NUM_THREADS"] = "1";
        psi.Environment["TERM"] = "xterm-256color";
        psi.Environment["COLUMNS"] = Columns.ToString();
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"advex {filled} did not finish");
        }
        Assert.True(p.ExitCode == 0, $"advex {filled} exited {p.ExitCode}: {stderr.Result}\n{stdout.Result}");
        return stdout.Result;
    }

    /// <summary>The lines as a terminal's scrollback holds them: ANSI sequences removed, split at CR and LF.</summary>
    private static List<string> Lines(string raw) => Regex.Split(Plain(raw), "\r\n|\r|\n").ToList();

    private static string Plain(string raw) => Ansi().Replace(raw, "");

    private static string Tail(List<string> lines) => string.Join("\n", lines.Where(l => l.Trim().Length > 0).TakeLast(15));

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[ -/]*[@-~]|[=>]|\][^\x07]*\x07)")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"━+\s+(\d{1,3})%")]
    private static partial Regex Percent();

    /// <summary>Eight or more spaces, then text: what a line printed past a live bar looks like.</summary>
    [GeneratedRegex(@"^ {8,}\S")]
    private static partial Regex LeftOver();
}
