namespace Advex.Tests.Deploy;

using Advex.Tests.Support;

/// <summary>
/// deploy/slurm/advex-eval.sbatch on a real single-node Slurm: a 3-task job array evaluates the TorchScript LeNet on
/// 150 MNIST test images (FGSM and PGD with a random start, two ε), a dependent job merges the shards as
/// docs/scale-out.md shows, and the merged folder equals an unsharded run's record for record and figure for figure.
/// </summary>
[Collection("slurm")]
public sealed class SlurmShardTests(SlurmCluster cluster)
{
    private const int Shards = 3;
    private const int Samples = 150;

    private static readonly string[] EvalArgs =
    [
        "--model", Path.Combine(Paths.TorchScript, "lenet.pt"), "--data", "mnist", "--limit", Samples.ToString(),
        "--attack", "fgsm,pgd", "--eps", "0.05,0.1", "--steps", "5", "--seed", "7", "--quiet",
    ];

    [SkippableFact]
    public void A_three_task_array_merged_by_a_dependent_job_equals_the_unsharded_evaluation()
    {
        var slurm = cluster.Get();
        var dir = Paths.TempDir();
        var root = Path.Combine(dir, "shards");
        var env = new Dictionary<string, string> { ["ADVEX"] = AdvexCommand(dir) };

        var array = slurm.Run("sbatch",
            ["--wait", $"--array=0-{Shards - 1}", $"--chdir={dir}", $"--output={dir}/task-%a.out",
             SbatchScriptTests.Script, root, .. EvalArgs], env, TimeSpan.FromMinutes(4));
        Assert.True(array.ExitCode == 0, $"sbatch: {array}\n{TaskOutputs(dir)}\n{slurm.Logs()}");
        var jobId = array.Out.Split(' ', StringSplitOptions.RemoveEmptyEntries).Last().Trim();

        var merged = Path.Combine(dir, "merged");
        var shardDirs = Enumerable.Range(0, Shards).Select(k => Path.Combine(root, $"shard-{k}")).ToList();
        var merge = slurm.Run("sbatch",
            ["--wait", $"--dependency=afterok:{jobId}", $"--chdir={dir}", $"--output={dir}/merge.out",
             $"--wrap={env["ADVEX"]} merge {string.Join(' ', shardDirs)} --out {merged} --quiet"],
            env, TimeSpan.FromMinutes(2));
        Assert.True(merge.ExitCode == 0, $"merge job: {merge}\n{ReadOr(Path.Combine(dir, "merge.out"))}");

        var whole = Path.Combine(dir, "whole");
        var unsharded = ChildAdvex.Run(["eval", .. EvalArgs, "--out", whole]);
        Assert.True(unsharded.Exit == 0, unsharded.Err);

        // each task evaluated its own slice (index mod 3 = task), and only that
        for (var k = 0; k < Shards; k++)
            Assert.Equal(Enumerable.Range(0, Samples).Where(i => i % Shards == k).Select(i => (long)i),
                EvalFolderDiff.Indices(shardDirs[k]));
        var records = EvalFolderDiff.Records(whole);
        Assert.Equal(Samples * 4, records.Count); // 2 attacks × 2 ε
        Assert.Equal(records, EvalFolderDiff.Records(merged));
        var figures = EvalFolderDiff.Figures(whole);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(figures, EvalFolderDiff.Figures(merged)),
            $"eval.json differs:\nunsharded {figures.ToJsonString()}\nmerged    {EvalFolderDiff.Figures(merged).ToJsonString()}");
    }

    /// <summary>ADVEX for the jobs: the built CLI under dotnet, as two words (through a small
    /// script where a path has a space, which the sbatch script's word splitting would break).</summary>
    private static string AdvexCommand(string dir)
    {
        var dotnet = HostProcess.Which("dotnet") ?? "dotnet";
        var dll = Path.Combine(AppContext.BaseDirectory, "Advex.Cli.dll");
        if (!dll.Contains(' ') && !dotnet.Contains(' ')) return $"{dotnet} {dll}";
        var wrapper = Path.Combine(dir, "advex");
        File.WriteAllText(wrapper, $"exec '{dotnet}' '{dll}' \"$@\"\n");
        return $"sh {wrapper}";
    }

    private static string TaskOutputs(string dir) =>
        string.Join('\n', Directory.GetFiles(dir, "task-*.out").Order().Select(f => $"{Path.GetFileName(f)}: {ReadOr(f)}"));

    private static string ReadOr(string file) => File.Exists(file) ? File.ReadAllText(file) : "(not written)";
}
