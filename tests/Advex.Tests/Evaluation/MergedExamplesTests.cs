namespace Advex.Tests.Evaluation;

using Advex.Tests.Support;

/// <summary>
/// Example grids survive sharding: each shard keeps the example images it evaluated in <c>examples.json</c>, and
/// <c>merge --report</c> and <c>--workers N --report DIR</c> draw the same <c>examples.png</c>, byte for byte, as one
/// unsharded <c>--report</c> run.
/// </summary>
public sealed class MergedExamplesTests
{
    private static readonly string[] Eval =
    [
        "eval", "--model", Path.Combine(Paths.TorchScript, "lenet.pt"), "--data", "mnist", "--limit", "40",
        "--attack", "fgsm,pgd", "--steps", "3", "--eps", "0.1", "--quiet",
    ];

    private static void Run(params string[] args)
    {
        var (exit, _, err) = ChildAdvex.Run(args);
        Assert.True(exit == 0, $"exit {exit}: {err}");
    }

    [Fact]
    public void Merged_and_worker_folders_draw_the_unsharded_example_grid()
    {
        var root = Directory.CreateTempSubdirectory("advex-examples-").FullName;
        try
        {
            var single = Path.Combine(root, "report");
            Run([.. Eval, "--out", Path.Combine(root, "one"), "--report", single]);
            var expected = File.ReadAllBytes(Path.Combine(single, "examples.png"));

            var shards = Enumerable.Range(0, 2).Select(k => Path.Combine(root, $"s{k}")).ToList();
            for (var k = 0; k < 2; k++) Run([.. Eval, "--shard", $"{k}/2", "--out", shards[k]]);
            Assert.All(shards, s => Assert.True(File.Exists(Path.Combine(s, "examples.json"))));
            var merged = Path.Combine(root, "merged");
            Run(["merge", .. shards, "--out", merged, "--report", "--quiet"]);
            Assert.Equal(expected, File.ReadAllBytes(Path.Combine(merged, "examples.png")));

            var workersReport = Path.Combine(root, "workers-report");
            Run([.. Eval, "--workers", "2", "--out", Path.Combine(root, "workers"), "--report", workersReport]);
            Assert.Equal(expected, File.ReadAllBytes(Path.Combine(workersReport, "examples.png")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
