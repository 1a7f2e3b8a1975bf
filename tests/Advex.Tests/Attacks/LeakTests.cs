namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>Flat memory: the live tensor count after 1,000 PGD steps equals the count after 10.</summary>
[Collection("lenet")]
public sealed class LeakTests(TrainedLeNet lenet)
{
    /// <summary>Tensors alive in the caller's scope after the PGD loop itself (not only after Run, whose own scope
    /// would hide a loop that keeps every iterate until it ends), beyond the inputs.</summary>
    private long LiveAfter(int steps)
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 8);
        var before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        using var eval = lenet.Model.EvalMode();
        var adv = Pgd.Iterate(lenet.Model, x, new Untargeted(y), 0.3, Norm.Linf, steps, 0.01, x.clone());
        GC.KeepAlive(adv);
        return DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount - before;
    }

    [Fact]
    public void Live_tensor_count_after_1000_pgd_steps_equals_count_after_10()
    {
        var baseline = LiveAfter(10);
        var after = LiveAfter(1000);
        Assert.Equal(baseline, after);
    }

    /// <summary>Tensors alive after Run (beyond its result): nothing an attack makes may escape Run's scope.</summary>
    private long LiveAfterRun(Attack attack)
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 8);
        using var rng = new Generator(1);
        var before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        var r = attack.Run(lenet.Model, x, new Untargeted(y), rng);
        GC.KeepAlive(r);
        return DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount - before;
    }

    [Fact]
    public void Fab_and_the_autoattack_cascade_leave_nothing_behind_whatever_their_steps()
    {
        Assert.Equal(LiveAfterRun(new Fab(0.3, Norm.Linf, steps: 5, restarts: 2)), LiveAfterRun(new Fab(0.3, Norm.Linf, steps: 60, restarts: 2)));
        Assert.Equal(LiveAfterRun(new Fab(2, Norm.L2, steps: 5)), LiveAfterRun(new Fab(2, Norm.L2, steps: 60)));
        Assert.Equal(LiveAfterRun(new AutoAttack(0.1, steps: 5, queries: 20)), LiveAfterRun(new AutoAttack(0.1, steps: 40, queries: 200)));
    }
}
