namespace Advex.Tests.Cli;

using System.Diagnostics;
using Advex.Tests.Support;

/// <summary>
/// SIGINT and SIGTERM stop a job within one attack step, not at the next batch: an evaluation whose single batch
/// would run PGD for 100,000 steps (and a PGD-AT training step of as many) ends within seconds of the signal, with
/// one line, exit 143 / 130 and no partial result.
/// </summary>
public sealed class SignalInsideStepTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>From the signal to the exit; generous because the machine running the suite may be loaded.</summary>
    private static readonly TimeSpan WithinSeconds = TimeSpan.FromSeconds(30);

    [Fact]
    public void Sigterm_stops_pgd_inside_its_only_batch_within_seconds_with_no_json()
    {
        var dir = Paths.TempDir();
        var json = Path.Combine(dir, "eval.json");
        using var child = ChildAdvex.Start(["eval", "--model", Path.Combine(Paths.TorchScript, "lenet.pt"), "--data",
            "idx:" + Paths.IdxSmall, "--attack", "pgd", "--steps", "100000", "--eps", "0.1", "--limit", "20", "--json", json, "--quiet"]);
        child.WaitForLine(l => l.StartsWith("evaluating", StringComparison.Ordinal), Patience);
        Thread.Sleep(3000); // inside the attack's step loop
        child.Signal("TERM");
        var clock = Stopwatch.StartNew();
        Assert.Equal(143, child.WaitForExit(WithinSeconds));
        var line = Assert.Single(child.Err.Trim().Split('\n'));
        Assert.StartsWith("interrupted by SIGTERM: stopped during pgd after 0 of 20 samples; nothing was written", line);
        Assert.False(File.Exists(json));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
        Assert.True(clock.Elapsed < WithinSeconds, $"{clock.Elapsed}");
    }

    [Fact]
    public void Sigint_stops_adversarial_training_inside_its_pgd_step_within_seconds()
    {
        var dir = Paths.TempDir();
        var run = Path.Combine(dir, "run");
        using var child = ChildAdvex.Start(["train", "--data", "idx:" + Paths.IdxSmall, "--classes", "10", "--epochs", "1",
            "--batch-size", "50", "--adv", "pgd", "--eps", "0.1", "--adv-steps", "100000", "--heldout", "10", "--out", run]);
        child.WaitForLine(l => l.Contains("train", StringComparison.Ordinal), Patience);
        Thread.Sleep(5000);
        child.Signal("INT");
        Assert.Equal(130, child.WaitForExit(WithinSeconds));
        var line = Assert.Single(child.Err.Trim().Split('\n'));
        Assert.StartsWith("interrupted by SIGINT: stopped in epoch 1; no epoch finished, no checkpoint was written", line);
        Assert.False(File.Exists(Path.Combine(run, "model.json")));
    }
}
