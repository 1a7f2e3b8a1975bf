namespace Advex.Tests.Evaluation;

using Advex.Tests.Deploy;
using Advex.Tests.Support;

/// <summary>
/// <c>--workers N</c> under faults (issue 22): the workers die with their parent (kill -9 included) and
/// <c>--resume</c> then completes to the figures of one uninterrupted run; a worker that fails stops the others at
/// once; N is capped at the samples, saying why.
/// </summary>
public sealed class WorkerLifetimeTests
{
    private static readonly string[] Eval =
    [
        "eval", "--model", Path.Combine(Paths.TorchScript, "lenet.pt"), "--data", "mnist", "--limit", "40",
        "--attack", "pgd", "--steps", "3", "--eps", "0.1", "--batch-size", "4", "--quiet",
    ];

    /// <summary>The pids of the processes whose parent is <paramref name="parent"/>.</summary>
    private static List<int> ChildrenOf(int parent) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
            .Where(n => int.TryParse(n, out _)).Select(int.Parse!)
            .Where(pid => ParentOf(pid) == parent).ToList();

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1]);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string Comparable(string dir) =>
        string.Join("\n", EvalFolderDiff.Records(dir)) + "\n" + EvalFolderDiff.Figures(dir).ToJsonString();

    [Fact]
    public void Workers_die_with_a_killed_parent_and_resume_completes_to_the_uninterrupted_figures()
    {
        var root = Directory.CreateTempSubdirectory("advex-workers-kill-").FullName;
        try
        {
            var whole = Path.Combine(root, "whole");
            var (e0, _, err0) = ChildAdvex.Run([.. Eval, "--out", whole]);
            Assert.True(e0 == 0, err0);

            var dir = Path.Combine(root, "w");
            // every worker stops for good just before it saves its first examples (after its first batch), so the
            // parent is surely killed mid-run; the test hook is inherited by the workers
            using var parent = ChildAdvex.Start([.. Eval, "--workers", "2", "--out", dir],
                new Dictionary<string, string> { [Advex.IO.AtomicFile.PauseVariable] = "examples.json#1" });
            var deadline = DateTime.UtcNow.AddMinutes(3);
            string[] Paused() => Enumerable.Range(0, 2).Select(k => Path.Combine(dir, "shards", $"shard-{k}"))
                .Where(Directory.Exists).SelectMany(s => Directory.GetFiles(s, ".examples.json.*.tmp")).ToArray();
            while (Paused().Length < 2 && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.True(Paused().Length == 2, $"the workers did not reach their pause: {parent.Err}");
            var workers = ChildrenOf(parent.Pid);
            Assert.Equal(2, workers.Count);

            parent.Signal("KILL"); // the parent alone: its children get no signal from the test
            var killedAt = DateTime.UtcNow;
            while (workers.Any(Alive) && DateTime.UtcNow - killedAt < TimeSpan.FromSeconds(30)) Thread.Sleep(50);
            var outlived = DateTime.UtcNow - killedAt;
            Assert.False(workers.Any(Alive), "a worker outlived its parent by 30 s");
            Assert.True(outlived < TimeSpan.FromSeconds(5), $"the workers outlived their parent by {outlived.TotalSeconds:F1} s");
            Assert.False(File.Exists(Path.Combine(dir, "eval.json")));

            var (e1, _, err1) = ChildAdvex.Run([.. Eval, "--workers", "2", "--out", dir, "--resume"]);
            Assert.True(e1 == 0, err1);
            Assert.Equal(Comparable(whole), Comparable(dir));
            Assert.False(Directory.Exists(Path.Combine(dir, "shards")));
            Assert.Empty(Directory.GetFiles(dir, ".*.tmp"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_failing_worker_stops_the_others_at_once()
    {
        var root = Directory.CreateTempSubdirectory("advex-workers-fail-").FullName;
        try
        {
            var dir = Path.Combine(root, "w");
            // shard 1 already holds an evaluation of another configuration: its worker fails at start
            var shard1 = Path.Combine(dir, "shards", "shard-1");
            var (e0, _, err0) = ChildAdvex.Run([.. Eval[..6], "4", "--attack", "fgsm", "--quiet", "--shard", "1/2", "--out", shard1]);
            Assert.True(e0 == 0, err0);
            // shard 0 alone is long: without failing fast the parent would wait for it
            string[] longEval = [.. Eval[..6], "4000", "--attack", "pgd", "--steps", "200", "--eps", "0.1", "--quiet"];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (exit, _, err) = ChildAdvex.Run([.. longEval, "--workers", "2", "--out", dir, "--resume"]);
            clock.Stop();

            Assert.Equal(2, exit);
            Assert.Contains("worker 1/2 failed", err);
            Assert.Contains("was made by another evaluation", err);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"took {clock.Elapsed.TotalSeconds:F0} s");
            Assert.False(File.Exists(Path.Combine(dir, "shards", "shard-0", "eval.json"))); // stopped, not finished
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Workers_are_capped_at_the_samples_saying_why()
    {
        var root = Directory.CreateTempSubdirectory("advex-workers-cap-").FullName;
        try
        {
            var dir = Path.Combine(root, "w");
            var (exit, output, err) = ChildAdvex.Run([.. Eval[..6], "2", "--attack", "fgsm", "--quiet", "--workers", "3", "--out", dir]);
            Assert.True(exit == 0, err);
            Assert.Contains("workers 3 capped at 2: the evaluation has 2 sample(s)", output);
            Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "samples.jsonl")).Length);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
