namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>
/// The contract every registered attack keeps (STYLE.md): shape kept, inside the box, inside the ε-ball when bounded,
/// success equals what the model really predicts, accuracy drops, same seed gives identical output.
/// </summary>
[Collection("lenet")]
public sealed class AttackContractTests(TrainedLeNet lenet)
{
    private const double Eps = 0.3;

    public static TheoryData<string> AllAttacks()
    {
        var data = new TheoryData<string>();
        foreach (var name in AttackRegistry.Names.Where(n => !AttackTestSettings.Skip.Contains(n))) data.Add(name);
        return data;
    }

    private Attack Create(string name) => AttackRegistry.Create(name, Eps, AttackTestSettings.For(name));

    [Theory]
    [MemberData(nameof(AllAttacks))]
    public void Attack_keeps_shape_box_ball_and_reports_real_success(string name)
    {
        using var scope = NewDisposeScope();
        var attack = Create(name);
        var (x, y) = lenet.Test.Slice(0, 128);
        using var rng = new Generator(7);
        var r = attack.Run(lenet.Model, x, new Untargeted(y), rng);

        Assert.Equal(x.shape, r.Adversarial.shape);
        Assert.True(r.Adversarial.min().item<float>() >= 0f, "below 0");
        Assert.True(r.Adversarial.max().item<float>() <= 1f, "above 1");
        Assert.True(r.Adversarial.isfinite().all().item<bool>(), "non-finite values");
        var delta = r.Adversarial - x;
        if (attack.IsBounded)
        {
            var norms = attack.Norm == Norm.Linf ? LpBall.LinfNorms(delta) : LpBall.L2Norms(delta);
            Assert.True(norms.max().item<float>() <= Eps + 1e-6, $"outside the ε-ball: {norms.max().item<float>()}");
        }
        // success is what the model really predicts on the returned images
        var predicted = lenet.Model.Predict(r.Adversarial);
        Assert.True(predicted.eq(r.Predictions).all().item<bool>());
        Assert.True(predicted.ne(y).eq(r.Success).all().item<bool>());
        // accuracy drops
        var clean = lenet.Model.Predict(x).eq(y).sum().item<long>();
        var robust = predicted.eq(y).sum().item<long>();
        Assert.True(robust < clean, $"{name}: accuracy did not drop ({clean} -> {robust} of 128)");
        // the reported norms are the real ones
        Assert.True((LpBall.L2Norms(delta) - r.L2).abs().max().item<float>() < 1e-4);
    }

    [Theory]
    [MemberData(nameof(AllAttacks))]
    public void Attack_refuses_inputs_outside_the_box_and_nan_inputs_by_name(string name)
    {
        using var scope = NewDisposeScope();
        var attack = Create(name);
        var (x, y) = lenet.Test.Slice(0, 4);
        var nan = x.clone();
        nan[2, 0, 5, 5] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<AdvexException>(() => attack.Run(lenet.Model, nan, new Untargeted(y))).Message);
        Assert.Contains("outside the model's bounds",
            Assert.Throws<AdvexException>(() => attack.Run(lenet.Model, x * 2 - 0.5, new Untargeted(y))).Message);
    }

    [Theory]
    [MemberData(nameof(AllAttacks))]
    public void Attack_with_same_seed_gives_identical_output(string name)
    {
        using var scope = NewDisposeScope();
        var attack = Create(name);
        var (x, y) = lenet.Test.Slice(128, 64);
        using var rng1 = new Generator(11);
        using var rng2 = new Generator(11);
        var a = attack.Run(lenet.Model, x, new Untargeted(y), rng1).Adversarial;
        var b = attack.Run(lenet.Model, x, new Untargeted(y), rng2).Adversarial;
        Assert.True(a.eq(b).all().item<bool>(), $"{name} is not deterministic for a fixed seed");
    }

    [Theory]
    [MemberData(nameof(AllAttacks))]
    public void Targeted_attack_reports_success_as_prediction_equals_target(string name)
    {
        using var scope = NewDisposeScope();
        var attack = Create(name);
        var (x, y) = lenet.Test.Slice(0, 64);
        using var rng = new Generator(3);
        var targets = Targets.Random(y, 10, rng);
        var r = attack.Run(lenet.Model, x, new Targeted(targets), rng);
        var predicted = lenet.Model.Predict(r.Adversarial);
        Assert.True(predicted.eq(targets).eq(r.Success).all().item<bool>());
    }
}

/// <summary>Per-attack settings for the contract suite (fast but still effective) and attacks it cannot run alone.</summary>
public static class AttackTestSettings
{
    /// <summary>Attacks that need an artefact the suite does not have (e.g. a trained generator).</summary>
    public static readonly HashSet<string> Skip = ["advgan", "universal"]; // a trained generator (Generative/AdvGanTests), a saved perturbation (UniversalPerturbationTests)

    public static AttackSettings For(string name) => name switch
    {
        "pgd" => new AttackSettings { Steps = 20, StepSize = 0.03 },
        "bim" => new AttackSettings { Steps = 20, StepSize = 0.03 },
        "cw" => new AttackSettings { Steps = 50, BinarySearchSteps = 4, C = 1 },
        "apgd-ce" or "apgd-dlr" or "apgd-t" or "autoattack-apgd" or "fab" or "fab-t" => new AttackSettings { Steps = 20 },
        "autoattack" => new AttackSettings { Steps = 20, Queries = 300 },
        "optim" => new AttackSettings { Steps = 30, Optimizer = "adam", Lr = 0.01 },
        "square" => new AttackSettings { Queries = 300 },
        "hsj" => new AttackSettings { Queries = 200 },
        "fmn" => new AttackSettings { Steps = 30 },
        "ead" => new AttackSettings { Steps = 20, BinarySearchSteps = 3, C = 1 },
        _ => new AttackSettings(),
    };
}
