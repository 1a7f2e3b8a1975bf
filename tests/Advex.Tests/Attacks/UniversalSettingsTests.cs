namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Patch;
using Advex.Attacks.Universal;

/// <summary>
/// <c>attack --universal</c> and <c>attack --patch</c> read the attack settings through the same reader as the
/// registry's attacks (issue 26): each universal method reads only what it uses, the rest is refused by name with
/// the message <c>eval --attack</c> gives, and what it reads reaches its options.
/// </summary>
public sealed class UniversalSettingsTests
{
    [Fact]
    public void Sgd_refuses_deepfool_settings_naming_what_it_takes()
    {
        var e = Assert.Throws<AdvexException>(() =>
            UniversalSettings.Read("sgd", 0.1, new AttackSettings { Steps = 10, Overshoot = 0.1 }, passes: 2, batchSize: 8));
        Assert.Equal("steps, overshoot do not apply to universal sgd, which takes norm, step-size, beta", e.Message);
        Assert.Contains("steps", e.Parameters);
    }

    [Fact]
    public void Deepfool_refuses_sgd_settings_and_any_other_attack_setting()
    {
        var e = Assert.Throws<AdvexException>(() =>
            UniversalSettings.Read("deepfool", 0.1, new AttackSettings { StepSize = 0.01 }, passes: 2, batchSize: 8));
        Assert.Equal("step-size does not apply to universal deepfool, which takes norm, steps, overshoot, fooling-target", e.Message);
        var c = Assert.Throws<AdvexException>(() =>
            UniversalSettings.Read("deepfool", 0.1, new AttackSettings { C = 1, Eot = 2 }, passes: 2, batchSize: 8));
        Assert.StartsWith("c, eot do not apply to universal deepfool", c.Message);
    }

    [Fact]
    public void The_fooling_target_is_refused_by_sgd_only()
    {
        var e = Assert.Throws<AdvexException>(() =>
            UniversalSettings.Read("sgd", 0.1, new AttackSettings(), passes: 2, batchSize: 8, targetFoolingRate: 0.5));
        Assert.Equal("fooling-target does not apply to universal sgd, which takes norm, step-size, beta", e.Message);
        Assert.Equal(0.5, UniversalSettings.Read("deepfool", 0.1, new AttackSettings(), 2, 8, targetFoolingRate: 0.5).TargetFoolingRate);
    }

    [Fact]
    public void What_each_method_reads_reaches_its_options()
    {
        var deepFool = UniversalSettings.Read("deepfool", 2.0,
            new AttackSettings { Norm = Norm.L2, Steps = 7, Overshoot = 0.05 }, passes: 3, batchSize: 16, targetFoolingRate: 0.6);
        Assert.Equal((UniversalMethod.DeepFool, Norm.L2, 7, 0.05, 0.6, 3, 16),
            (deepFool.Method, deepFool.Norm, deepFool.DeepFoolSteps, deepFool.Overshoot, deepFool.TargetFoolingRate, deepFool.Passes,
                deepFool.BatchSize));
        var sgd = UniversalSettings.Read("sgd", 0.2, new AttackSettings { StepSize = 0.01, Beta = 3 }, passes: 1, batchSize: 4);
        Assert.Equal((UniversalMethod.Sgd, Norm.Linf, 0.01, 3.0), (sgd.Method, sgd.Norm, sgd.StepSize, sgd.Beta));
        // defaults: the papers' (DeepFool 50 steps, overshoot 0.02, 1 − δ = 0.8; sgd α = ε/10, β = 9)
        var plain = UniversalSettings.Read("sgd", 0.2, new AttackSettings(), 1, 4);
        Assert.Equal(0.02, plain.StepSize, 12);
        Assert.Equal(9.0, plain.Beta);
    }

    [Fact]
    public void A_patch_reads_only_its_learning_rate()
    {
        Assert.Equal(0.2, PatchSettings.Lr(new AttackSettings { Lr = 0.2 }));
        Assert.Equal(0.05, PatchSettings.Lr(new AttackSettings()));
        var e = Assert.Throws<AdvexException>(() => PatchSettings.Lr(new AttackSettings { Steps = 3, Lr = 0.1 }));
        Assert.Equal("steps does not apply to patch, which takes lr", e.Message);
    }
}
