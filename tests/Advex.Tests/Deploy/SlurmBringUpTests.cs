namespace Advex.Tests.Deploy;

using Advex.Tests.Support;

/// <summary>The single-node Slurm itself: a job array runs every index once, with the array variables advex reads.</summary>
[Collection("slurm")]
public sealed class SlurmBringUpTests(SlurmCluster cluster)
{
    [SkippableFact]
    public void A_three_task_array_runs_every_index_once_with_the_array_variables()
    {
        var slurm = cluster.Get();
        var dir = Paths.TempDir();
        var script = Path.Combine(dir, "job.sh");
        File.WriteAllText(script, "#!/bin/sh\necho \"$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT $(hostname -s)\"\n");

        var submitted = slurm.Run("sbatch", ["--wait", "--array=0-2", $"--output={dir}/task-%a.out", script],
            timeout: TimeSpan.FromMinutes(2));

        Assert.True(submitted.ExitCode == 0, $"sbatch: {submitted}\n{slurm.Logs()}");
        for (var i = 0; i < 3; i++)
            Assert.Equal($"{i} 3 {slurm.Config.Host}", File.ReadAllText(Path.Combine(dir, $"task-{i}.out")).Trim());
        Assert.Equal(3, Directory.GetFiles(dir, "task-*.out").Length);
    }
}
