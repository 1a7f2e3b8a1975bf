namespace Advex.Tests.Evaluation;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Tests.Support;

/// <summary>Cascade, early stop and the shared FGSM gradient, on the LeNet fixture and the first MNIST test images.</summary>
public sealed class CascadeTests
{
    private static List<SampleRecord> Records(EvalOptions options, params Attack[] attacks)
    {
        using var single = new SingleThread();
        using var model = ModelStore.Load(Path.Combine(Paths.TorchScript, "lenet.pt"));
        using var all = DataSource.Load("mnist", "test");
        using var data = all.Take(200);
        return new RobustnessEvaluator().Records(model, data, attacks, options, Shard.All.Indices(data.Count));
    }

    [Fact]
    public void Cascade_attacks_only_still_robust_samples_and_early_stop_finds_a_superset_of_last_iterate_successes()
    {
        Attack[] attacks = [new Pgd(0.1, steps: 10), new Square(0.1, queries: 30)];
        var independent = Records(new EvalOptions { BatchSize = 64 }, attacks);
        var cascade = Records(new EvalOptions { BatchSize = 64, Cascade = true }, attacks);
        var pgd = independent.Where(r => r.Run == 0).ToDictionary(r => r.Index);
        var stage1 = cascade.Where(r => r.Run == 0).ToDictionary(r => r.Index);
        var stage2 = cascade.Where(r => r.Run == 1).ToDictionary(r => r.Index);
        foreach (var (i, r) in stage1)
        {
            // same keys, same trajectory up to the first adversarial iterate: a last-iterate success is found early
            if (pgd[i].Attacked && !pgd[i].Robust) Assert.False(r.Robust);
            if (r.Attacked && r.Success) Assert.True(r.Gradients <= 10);
            Assert.Equal(r.Robust, stage2[i].Attacked);            // stage 2 attacks exactly the survivors
            if (!stage2[i].Attacked) Assert.False(stage2[i].Robust);
            if (stage2[i].Robust) Assert.True(r.Robust);             // robust accuracy never rises along the cascade
            if (!stage2[i].Attacked) Assert.Equal(0, stage2[i].Queries);
        }
        Assert.True(stage2.Values.Count(r => r.Robust) <= stage1.Values.Count(r => r.Robust));
        Assert.Contains(stage1.Values, r => r.Attacked && r.Success && r.Gradients < 10); // early stop saved work
        Assert.All(pgd.Values, r => Assert.Equal(10, r.Gradients));
    }

    [Fact]
    public void An_fgsm_sweep_computes_the_input_gradient_once_per_batch()
    {
        var records = Records(new EvalOptions { BatchSize = 100 }, new Fgsm(0.05), new Fgsm(0.1), new Fgsm(0.2));
        Assert.All(records.Where(r => r.Run == 0), r => Assert.Equal(1, r.Gradients));
        Assert.All(records.Where(r => r.Run > 0), r => Assert.Equal(0, r.Gradients));
        // the shared gradient gives what a lone FGSM computes
        var alone = Records(new EvalOptions { BatchSize = 100 }, new Fgsm(0.2));
        Assert.Equal(alone.Select(r => (r.Index, r.Adversarial, r.L2)),
            records.Where(r => r.Run == 2).Select(r => (r.Index, r.Adversarial, r.L2)));
    }

    [Theory]
    [InlineData("fgsm")]
    [InlineData("pgd")]
    public void A_run_at_eps_0_reuses_the_clean_predictions_and_records_what_the_attack_itself_returns(string name)
    {
        // FGSM takes no steps (and refuses the option); PGD runs 3
        var sweep = AttackSweep.Build([name], [0, 0.1], name == "fgsm" ? new AttackSettings() : new AttackSettings { Steps = 3 });
        var records = Records(new EvalOptions { BatchSize = 64 }, [.. sweep]).Where(r => r.Run == 0).ToList();
        using var single = new SingleThread();
        using var model = ModelStore.Load(Path.Combine(Paths.TorchScript, "lenet.pt"));
        using var all = DataSource.Load("mnist", "test");
        var (x, y) = all.Batch(records.Select(r => r.Index).ToArray());
        var run = sweep[0].Run(model, x, new Untargeted(y), AttackContext.Sequential((int)x.shape[0]));
        Assert.Equal(run.Predictions.data<long>().ToArray(), records.Select(r => r.Adversarial));
        Assert.Equal(run.Success.data<bool>().ToArray(), records.Select(r => r.Success));
        Assert.Equal(run.L2.data<float>().ToArray(), records.Select(r => r.L2));
        Assert.Equal(run.Linf.data<float>().ToArray(), records.Select(r => r.Linf));
        Assert.True(run.Adversarial.eq(x).all().item<bool>());
        Assert.All(records, r => Assert.Equal(r.Clean, r.Adversarial));
        // the ball holds x alone: nothing is computed, except on the first indices, which are really attacked
        var gradients = name == "fgsm" ? 1 : 3;
        Assert.All(records, r => Assert.Equal(r.Index < EvalOptions.RepeatSamples ? gradients : 0, r.Gradients));
    }
}
