namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

[Collection("lenet")]
public sealed class OptimizerAttackTests(TrainedLeNet lenet, ITestOutputHelper output)
{
    [Fact]
    public void Adam_reaches_the_target_for_nearly_every_sample_and_the_loss_falls()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 32);
        using var rng = new Generator(4);
        var goal = new Targeted(Targets.Random(y, 10, rng));
        var attack = new OptimizerAttack(optimizer: OptimizerKind.Adam, lr: 0.01, steps: 100);

        var trace = attack.Trace(lenet.Model, x, goal);

        output.WriteLine($"adam: success {trace.SuccessRate:P1}, median iterations {trace.MedianIterations}, " +
                         $"loss {trace.Loss[0]:F3} -> {trace.Loss[^1]:F3}, mean L2 {trace.MeanL2:F3}");
        Assert.True(trace.SuccessRate >= 0.9, $"Adam reached the target for only {trace.SuccessRate:P1}");
        Assert.Equal(101, trace.Loss.Length);
        Assert.Equal(101, trace.TargetProbability.Length);
        Assert.True(trace.Loss[^1] < trace.Loss[0], $"loss did not fall: {trace.Loss[0]} -> {trace.Loss[^1]}");
        Assert.True(trace.TargetProbability[^1] > trace.TargetProbability[0]);
        // the first success iteration is consistent with the final outcome of samples that never got there
        Assert.All(trace.FirstSuccessIteration.Zip(trace.Success), p => Assert.True(p.First >= 0 || !p.Second));
    }

    [Fact]
    public void Trace_agrees_with_run_on_the_returned_inputs()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(32, 16);
        var goal = new Targeted(Targets.Fixed(3, 16));
        var attack = new OptimizerAttack(0.2, OptimizerKind.RmsProp, lr: 0.01, steps: 20);
        var run = attack.Run(lenet.Model, x, goal);
        var trace = attack.Trace(lenet.Model, x, goal);
        Assert.Equal(run.Success.data<bool>().ToArray(), trace.Success);
        Assert.True(run.Linf.max().item<float>() <= 0.2f + 1e-6f);
        var l2 = run.L2.to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.All(l2.Zip(trace.L2), p => Assert.Equal(p.First, p.Second, 4));
    }

    [Fact]
    public void Untargeted_goal_maximises_the_label_cross_entropy()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 32);
        var trace = new OptimizerAttack(0.3, OptimizerKind.Adam, steps: 30).Trace(lenet.Model, x, new Untargeted(y));
        Assert.True(trace.Loss[^1] < trace.Loss[0]); // the objective −CE(label) falls
        Assert.True(trace.TargetProbability[^1] < trace.TargetProbability[0]); // the label's probability falls
        Assert.True(trace.SuccessRate > 0.5);
    }

    [Fact]
    public void Options_are_validated_with_named_messages()
    {
        Assert.Contains("lr", Assert.Throws<AdvexException>(() => new OptimizerAttack(lr: 0)).Message);
        Assert.Contains("steps", Assert.Throws<AdvexException>(() => new OptimizerAttack(steps: 0)).Message);
        Assert.Contains("eps", Assert.Throws<AdvexException>(() => new OptimizerAttack(eps: double.NaN)).Message);
        Assert.Contains("sgd, rmsprop or adam", Assert.Throws<AdvexException>(() => OptimizerKinds.Parse("lbfgs")).Message);
        Assert.False(new OptimizerAttack().IsBounded);
        Assert.True(AttackRegistry.Create("optim", 0.3).IsBounded);
    }
}
