namespace Advex.Tests.Deploy;

using Advex.Tests.Support;

/// <summary>
/// deploy/slurm/advex-eval.sbatch run as Slurm runs it (bash with the array variables set), with ADVEX naming a
/// stand-in that prints the command line it was given: what each task runs, without Slurm or advex. The real
/// thing under a real Slurm is <see cref="SlurmShardTests"/>.
/// </summary>
public sealed class SbatchScriptTests
{
    public static string Script => Path.Combine(Paths.Root, "deploy", "slurm", "advex-eval.sbatch");

    private readonly string dir = Paths.TempDir();

    private HostProcess.Result Task(Dictionary<string, string> env, params string[] args)
    {
        var echo = Path.Combine(dir, "echo-args.sh");
        File.WriteAllText(echo, "printf '%s\\n' \"threads=$OMP_NUM_THREADS\" \"$@\"\n");
        env.TryAdd("ADVEX", $"sh {echo}");
        env.TryAdd("SLURM_ARRAY_TASK_ID", "1");
        env.TryAdd("SLURM_ARRAY_TASK_COUNT", "3");
        env.TryAdd("SLURM_CPUS_PER_TASK", "");
        return HostProcess.Run("bash", [Script, .. args], env);
    }

    private static string[] Lines(HostProcess.Result run)
    {
        Assert.True(run.ExitCode == 0, run.ToString());
        return run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void A_task_evaluates_its_shard_into_OUT_ROOT_shard_index_with_one_thread()
    {
        var root = Path.Combine(dir, "out");
        var lines = Lines(Task([], root, "--model", "m.pt", "--data", "mnist", "--attack", "pgd"));
        Assert.Equal(["threads=1", "eval", "--model", "m.pt", "--data", "mnist", "--attack", "pgd",
            "--shard", "auto", "--out", $"{root}/shard-1", "--resume"], lines);
        Assert.True(Directory.Exists(root));
    }

    [Fact]
    public void Cpus_per_task_sets_the_thread_count_and_ADVEX_SHARDS_overrides_the_array_size()
    {
        var lines = Lines(Task(new() { ["SLURM_CPUS_PER_TASK"] = "4", ["ADVEX_SHARDS"] = "8" },
            Path.Combine(dir, "out"), "--model", "m.pt"));
        Assert.Equal("threads=4", lines[0]);
        Assert.Equal("1/8", lines[Array.IndexOf(lines, "--shard") + 1]);
    }

    [Fact]
    public void Outside_a_job_array_or_without_eval_arguments_it_refuses_with_one_line_and_exit_2()
    {
        var noArray = Task(new() { ["SLURM_ARRAY_TASK_ID"] = "" }, Path.Combine(dir, "out"), "--model", "m.pt");
        Assert.Equal(2, noArray.ExitCode);
        Assert.Single(noArray.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--array", noArray.Err);

        var noArgs = Task([], Path.Combine(dir, "out"));
        Assert.Equal(2, noArgs.ExitCode);
        Assert.StartsWith("usage:", noArgs.Err);
        Assert.Empty(noArgs.Out);
    }
}
