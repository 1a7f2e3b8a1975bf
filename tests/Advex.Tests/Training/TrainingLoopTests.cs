namespace Advex.Tests.Training;

using System.Diagnostics;
using Advex.IO;
using Advex.Tests.Support;
using Advex.Training;

/// <summary>The shared training loop, driven by a run without tensors: its "weights" are the sum of every index it
/// has trained on, so a resumed run ends equal to an uninterrupted one only if it sees the same batches.</summary>
public sealed class TrainingLoopTests
{
    private sealed record State(int Epoch, List<long> History, int Seed) : ITrainingState<long>;

    private sealed class SumRun(int seed, long stopAt = long.MaxValue) : ICheckpointedRun<long, State>
    {
        public long Total { get; private set; }
        public List<int> Epochs { get; } = [];
        public List<int> Numbers { get; } = [];

        public void BeginEpoch(int epoch) => Epochs.Add(epoch);
        public void Step(TrainingStep step)
        {
            Numbers.Add(step.Number);
            Total += step.Indices.Sum() * step.Epoch;
        }

        public long EndEpoch(int epoch, Stopwatch clock) => Total;
        public bool StopAfter(long figures) => figures >= stopAt;
        public State StateOf(int epoch, List<long> history) => new(epoch, history, seed);
        public void Save(string dir) => File.WriteAllText(Path.Combine(dir, "total.txt"), Total.ToString());
        public IEnumerable<ResumeSetting> Settings(State saved) => [ResumeSetting.Of("seed", saved.Seed, seed)];
        public void Restore(State saved, string dir) => Total = long.Parse(File.ReadAllText(Path.Combine(dir, "total.txt")));
    }

    private static TrainingLoop<long> Loop(int epochs, int seed = 1) => new(Count: 10, BatchSize: 3, epochs, seed);

    [Fact]
    public void Resumed_run_sees_the_same_batches_and_ends_equal_to_an_uninterrupted_one()
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        var dir = Paths.TempDir();
        var straight = new SumRun(1);
        var full = Loop(3).Run(straight, Path.Combine(dir, "full"), resume: false);
        Loop(1).Run(new SumRun(1), Path.Combine(dir, "split"), resume: false);
        var resumed = new SumRun(1);
        var history = Loop(3).Run(resumed, Path.Combine(dir, "split"), resume: true);

        Assert.Equal(full, history);
        Assert.Equal(straight.Total, resumed.Total);
        Assert.Equal([2, 3], resumed.Epochs);
        var checkpoint = Path.Combine(dir, "split", TrainingCheckpoint.Dir);
        Assert.Equal("epoch-0003", File.ReadAllText(Path.Combine(checkpoint, Checkpoint.CurrentFile)).Trim());
        Assert.Equal(["epoch-0003"], Directory.GetDirectories(checkpoint).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(checkpoint, "epoch-0003", TrainingCheckpoint.StateFile)));
    }

    [Fact]
    public void Progress_reports_every_batch_and_every_epoch()
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        var batches = new List<(int, int, int)>();
        var epochs = new List<long>();
        var history = (Loop(2) with { OnBatch = (e, b, n) => batches.Add((e, b, n)), OnEpoch = epochs.Add }).Run(new SumRun(1));
        Assert.Equal([(1, 1, 4), (1, 2, 4), (1, 3, 4), (1, 4, 4), (2, 1, 4), (2, 2, 4), (2, 3, 4), (2, 4, 4)], batches);
        Assert.Equal(history, epochs);

        var silent = new SumRun(1); // steps are numbered whether or not anyone listens
        Loop(2).Run(silent);
        Assert.Equal([1, 2, 3, 4, 1, 2, 3, 4], silent.Numbers);
    }

    [Fact]
    public void Resume_refuses_nothing_to_resume_other_settings_and_a_finished_checkpoint()
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        var dir = Paths.TempDir();
        var e = Assert.Throws<AdvexException>(() => Loop(2).Run(new SumRun(1), dir, resume: true));
        Assert.StartsWith("nothing to resume: no checkpoint in", e.Message);
        Assert.Throws<AdvexException>(() => Loop(2).Run(new SumRun(1), null, resume: true));

        Loop(2).Run(new SumRun(1), dir, resume: false);
        e = Assert.Throws<AdvexException>(() => Loop(3).Run(new SumRun(7), dir, resume: true));
        Assert.Contains("was made with other settings: seed 1 (now 7)", e.Message);
        e = Assert.Throws<AdvexException>(() => Loop(2).Run(new SumRun(1), dir, resume: true));
        Assert.Contains("already has 2 epochs", e.Message);

        var finished = new SumRun(1);
        var history = (Loop(2) with { ResumeFinished = true }).Run(finished, dir, resume: true);
        Assert.Equal(2, history.Count);
        Assert.Empty(finished.Epochs);
    }

    [Fact]
    public void Stop_rule_ends_training_and_a_resumed_run_that_met_it_trains_no_further()
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        var dir = Paths.TempDir();
        var run = new SumRun(1, stopAt: 1);
        Assert.Single(Loop(5).Run(run, dir, resume: false));
        var resumed = new SumRun(1, stopAt: 1);
        Assert.Single(Loop(5).Run(resumed, dir, resume: true));
        Assert.Empty(resumed.Epochs);
    }

    [Fact]
    public void Interruption_stops_before_the_next_batch_and_names_the_checkpoint_kept()
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        var dir = Paths.TempDir();
        try
        {
            var loop = Loop(3) with { OnEpoch = _ => Interruption.Request("SIGINT") };
            var run = new SumRun(1);
            var e = Assert.Throws<InterruptedException>(() => loop.Run(run, dir, resume: false));
            Assert.Equal("interrupted by SIGINT: stopped in epoch 2; the checkpoint of epoch 1 is kept (continue with resume)", e.Message);
            Assert.Equal([1, 2], run.Epochs);
            Assert.EndsWith("epoch-0001", Checkpoint.Committed(Path.Combine(dir, TrainingCheckpoint.Dir)));
            e = Assert.Throws<InterruptedException>(() => Loop(3).Run(new SumRun(1)));
            Assert.EndsWith("stopped in epoch 1; nothing was written", e.Message);
        }
        finally
        {
            Interruption.Reset();
        }
    }

    [Fact]
    public void Resume_setting_mismatch_names_every_differing_setting_and_json_properties()
    {
        Assert.Null(ResumeSetting.Mismatch([ResumeSetting.Of("seed", 1, 1)]));
        Assert.Equal("seed 1 (now 2), eps 0.3 (now 0.25)", ResumeSetting.Mismatch(
            [ResumeSetting.Of("seed", 1, 2), ResumeSetting.Of("lr", 0.1, 0.1), ResumeSetting.Of("eps", 0.3, 0.25)]));
        Assert.Equal("Eps 0.3 (now 0.2), Extra (none) (now 1)",
            ResumeSetting.Mismatch(ResumeSetting.FromJson("""{"Eps":0.3,"Seed":1}""", """{"Eps":0.2,"Seed":1,"Extra":1}""")));
    }
}
