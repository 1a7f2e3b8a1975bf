namespace Advex.Tests.Cli;

using System.Text.Json;
using System.Text.RegularExpressions;
using Advex.IO;
using Advex.Tests.Support;

/// <summary>
/// <c>advex</c> as a real process: killed with SIGKILL at several points (one inside a checkpoint write) and resumed
/// to weights bit-identical to an uninterrupted run; two writers of one folder (one refused, the other's folder
/// whole); SIGINT and SIGTERM stopping at the next batch with nothing partial written.
/// </summary>
public sealed class CrashAndConcurrencyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static string[] Train(string outDir, params string[] extra) =>
    [
        "train", "--data", "idx:" + Paths.IdxSmall, "--classes", "10", "--epochs", "4", "--batch-size", "20",
        "--seed", "3", "--out", outDir, "--quiet", .. extra,
    ];

    private static Dictionary<string, string> PauseAt(string hook) => new() { [AtomicFile.PauseVariable] = hook };

    private static bool Paused(string line) => line.StartsWith("advex-test: paused", StringComparison.Ordinal);

    [Fact]
    public void Train_killed_at_several_points_then_resumed_ends_bit_identical_with_no_temp_file_left()
    {
        var dir = Paths.TempDir();
        var reference = Path.Combine(dir, "reference");
        var crashed = Path.Combine(dir, "crashed");
        var r = ChildAdvex.Run(Train(reference));
        Assert.True(r.Exit == 0, r.Err);

        // 1. inside epoch 2's checkpoint write: its model.bin is written, optimizer.bin is not yet renamed
        using (var child = ChildAdvex.Start(Train(crashed), PauseAt("optimizer.bin#2")))
        {
            child.WaitForLine(Paused, Patience);
            child.KillHard();
        }
        Assert.NotEmpty(Directory.EnumerateFiles(crashed, "*.tmp", SearchOption.AllDirectories));
        Assert.EndsWith("epoch-0001", Checkpoint.Committed(Path.Combine(crashed, "checkpoint")));

        // 2. resumed, killed just before it commits epoch 3 (the generation is complete, the pointer is not renamed)
        using (var child = ChildAdvex.Start(Train(crashed, "--resume"), PauseAt("current#2")))
        {
            child.WaitForLine(Paused, Patience);
            child.KillHard();
        }
        Assert.EndsWith("epoch-0002", Checkpoint.Committed(Path.Combine(crashed, "checkpoint")));

        // 3. resumed, killed as soon as it reports an epoch, wherever it is then
        using (var child = ChildAdvex.Start(Train(crashed, "--resume")))
        {
            child.WaitForLine(l => l.StartsWith("epoch", StringComparison.Ordinal), Patience);
            child.KillHard();
        }

        // 4. resumed to the end
        var last = ChildAdvex.Run(Train(crashed, "--resume"));
        Assert.True(last.Exit == 0, last.Err);

        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "model.bin")), File.ReadAllBytes(Path.Combine(crashed, "model.bin")));
        Assert.Equal(Losses(reference), Losses(crashed));
        Assert.Empty(Directory.EnumerateFiles(crashed, "*.tmp", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(crashed, RunLock.FileName)));
        Assert.Equal(["epoch-0004"], Directory.GetDirectories(Path.Combine(crashed, "checkpoint")).Select(Path.GetFileName));
    }

    [Fact]
    public void Two_writers_of_one_folder_one_is_refused_and_the_other_folder_is_whole()
    {
        var dir = Paths.TempDir();
        var shared = Path.Combine(dir, "shared");
        string[] Args(int seed) =>
            ["train", "--limit", "3000", "--epochs", "2", "--seed", seed.ToString(), "--out", shared, "--quiet"];
        using var first = ChildAdvex.Start(Args(1));
        using var second = ChildAdvex.Start(Args(2));
        var codes = new[] { first.WaitForExit(Patience), second.WaitForExit(Patience) };
        Assert.Equal([0, 2], codes.Order());
        var loser = codes[0] == 2 ? first : second;
        var winnerSeed = codes[0] == 0 ? 1 : 2;
        var refusal = loser.Err.Trim();
        Assert.Single(refusal.Split('\n'));
        Assert.True(Regex.IsMatch(refusal, @"^error: .*shared is in use by pid \d+ \(advex train .*--seed " + winnerSeed + @" .*\)$"),
            refusal);

        // manifest, weights, checkpoint and training.json all come from the same run
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(shared, "model.json"))).RootElement;
        Assert.Equal(winnerSeed, manifest.GetProperty("training").GetProperty("seed").GetInt32());
        var checkpoint = Checkpoint.Committed(Path.Combine(shared, "checkpoint"))!;
        var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(checkpoint, "state.json"))).RootElement;
        Assert.Equal(winnerSeed, state.GetProperty("Seed").GetInt32());
        Assert.Equal(2, state.GetProperty("Epoch").GetInt32());
        Assert.Equal(File.ReadAllBytes(Path.Combine(checkpoint, "model.bin")), File.ReadAllBytes(Path.Combine(shared, "model.bin")));
        var training = JsonDocument.Parse(File.ReadAllText(Path.Combine(shared, "training.json"))).RootElement;
        Assert.Equal(winnerSeed, training.GetProperty("options").GetProperty("seed").GetInt32());
        Assert.False(File.Exists(Path.Combine(shared, RunLock.FileName)));
    }

    [Fact]
    public void Sigint_stops_training_at_the_next_batch_keeping_a_resumable_checkpoint_and_no_model()
    {
        var dir = Paths.TempDir();
        var run = Path.Combine(dir, "run");
        string[] args = ["train", "--limit", "4000", "--epochs", "3", "--out", run, "--quiet"];
        using (var child = ChildAdvex.Start(args))
        {
            child.WaitForLine(l => l.StartsWith("epoch   1:", StringComparison.Ordinal), Patience);
            child.Signal("INT");
            Assert.Equal(130, child.WaitForExit(Patience));
            var line = Assert.Single(child.Err.Trim().Split('\n'));
            var m = Regex.Match(line, @"^interrupted by SIGINT: stopped in epoch \d; the checkpoint of epoch (\d) is kept");
            Assert.True(m.Success, line);
            Assert.EndsWith($"epoch-000{m.Groups[1].Value}", Checkpoint.Committed(Path.Combine(run, "checkpoint")));
        }
        Assert.False(File.Exists(Path.Combine(run, "model.json")), "a model was written by an interrupted run");
        Assert.False(File.Exists(Path.Combine(run, "training.json")));
        var resumed = ChildAdvex.Run([.. args, "--resume"]);
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.True(File.Exists(Path.Combine(run, "model.json")));
    }

    [Fact]
    public void Sigterm_stops_an_evaluation_with_one_line_and_no_json()
    {
        var dir = Paths.TempDir();
        var json = Path.Combine(dir, "eval.json");
        using var child = ChildAdvex.Start(["eval", "--model", Path.Combine(Paths.TorchScript, "lenet.pt"),
            "--attack", "pgd", "--steps", "200", "--eps", "0.1", "--json", json, "--quiet"]);
        child.WaitForLine(l => l.StartsWith("evaluating", StringComparison.Ordinal), Patience);
        child.Signal("TERM");
        Assert.Equal(143, child.WaitForExit(Patience));
        var line = Assert.Single(child.Err.Trim().Split('\n'));
        Assert.StartsWith("interrupted by SIGTERM: stopped during pgd", line);
        Assert.False(File.Exists(json));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    private static List<string> Losses(string run) => JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "training.json")))
        .RootElement.GetProperty("epochs").EnumerateArray()
        .Select(e => $"{e.GetProperty("train_loss")} {e.GetProperty("test_loss")} {e.GetProperty("test_accuracy")}").ToList();
}
