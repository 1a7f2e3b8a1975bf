namespace Advex.Tests.Cli;

using Advex.Tests.Support;
using Xunit.Abstractions;

/// <summary>
/// The bad-input corpus (<c>BadInputCorpus.txt</c>, one case per line): every case runs <c>advex</c> in-process in a
/// fresh folder prepared by its setup (corrupt files are made here, never committed) and must exit with the
/// expected code, print exactly one line on stderr containing the expected fragment, show no stack trace or .NET
/// type name, and leave the folder (and any device it names) exactly as it was: nothing written, replaced or left
/// behind.
/// </summary>
public sealed class BadInputCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in BadInputCorpus.Load()) data.Add(c.Id);
        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_100_cases_covering_every_command()
    {
        var cases = BadInputCorpus.Load();
        Assert.True(cases.Count >= 100, $"only {cases.Count} cases");
        foreach (var command in new[] { "train", "eval", "demo", "attack", "optimizers", "text", "report", "gan", "advgan" })
            Assert.Contains(cases, c => c.Args.FirstOrDefault() == command);
        Assert.Equal(cases.Count, cases.Select(c => c.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_exits_2_with_one_line_and_changes_nothing(string id)
    {
        var c = BadInputCorpus.Load().Single(x => x.Id == id);
        var dir = Paths.TempDir();
        using var setup = BadInputSetup.Prepare(dir, c.Setup);
        var before = FolderSnapshot.Take(dir);
        var devices = c.Args.Where(a => a.StartsWith("/dev/", StringComparison.Ordinal))
            .ToDictionary(a => a, a => Advex.IO.FileKinds.Of(a));
        var args = c.Args.Select(a => BadInputSetup.Expand(a, dir)).ToArray();

        var cwd = Environment.CurrentDirectory;
        CliRunner.Outcome r;
        try
        {
            Environment.CurrentDirectory = dir; // default outputs (runs/...) land in the case's folder
            r = CliRunner.Run(args);
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }

        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        output.WriteLine($"exit {r.ExitCode}: {r.Err.Trim()}");
        Assert.True(c.Exit == r.ExitCode, $"exit {r.ExitCode}, expected {c.Exit}; stderr: {r.Err}");
        Assert.True(lines.Length == 1, $"{lines.Length} stderr lines: {r.Err}");
        Assert.Contains(BadInputSetup.Expand(c.Fragment, dir), lines[0]);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotMatch(@"System\.[A-Z]|`1|Nullable", lines[0]);
        Assert.Equal(before, FolderSnapshot.Take(dir));
        setup.Release();
        foreach (var (device, kind) in devices) Assert.Equal(kind, Advex.IO.FileKinds.Of(device));
    }
}
