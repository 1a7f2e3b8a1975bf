namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Tests.Support;
using FsCheck;
using FsCheck.Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

/// <summary>
/// The minimisation attacks (C&amp;W L2, DeepFool) on the shared LeNet: they break nearly every correctly classified
/// sample with small L2 perturbations; plus the C&amp;W margin's −∞ masking and MI-FGSM against FGSM.
/// </summary>
[Collection("lenet")]
public sealed class MinimisationAttackTests(TrainedLeNet lenet, ITestOutputHelper output)
{
    private const int Count = 128;

    /// <summary>The first 128 test samples the model classifies correctly.</summary>
    private (Tensor X, Tensor Y) CorrectlyClassified()
    {
        var (x, y) = lenet.Test.Slice(0, lenet.Test.Count);
        var correct = lenet.Model.Predict(x).eq(y).nonzero().squeeze(1)[..Count];
        Assert.Equal(Count, correct.shape[0]);
        return (x.index_select(0, correct), y.index_select(0, correct));
    }

    private (double Success, double MedianL2) Measure(Attack attack, Tensor x, Tensor y)
    {
        var r = attack.Run(lenet.Model, x, new Untargeted(y));
        Assert.True(r.L2.isfinite().all().item<bool>(), $"{attack.Name}: non-finite L2");
        var success = r.Success.to_type(ScalarType.Float64).mean().item<double>();
        var median = r.L2.index_select(0, r.Success.nonzero().squeeze(1)).median().item<float>();
        output.WriteLine($"{attack.Name}: success {success:P1}, median L2 of successes {median:F3}");
        return (success, median);
    }

    [Fact]
    public void DeepFool_breaks_95_percent_with_median_l2_below_3()
    {
        using var scope = NewDisposeScope();
        var (x, y) = CorrectlyClassified();
        var (success, median) = Measure(new DeepFool(), x, y);
        Assert.True(success >= 0.95, $"DeepFool success {success:P1}");
        Assert.True(median < 3.0, $"DeepFool median L2 {median}");
    }

    [Fact]
    public void CarliniWagner_breaks_95_percent_no_farther_than_DeepFool()
    {
        using var scope = NewDisposeScope();
        var (x, y) = CorrectlyClassified();
        var (_, deepFool) = Measure(new DeepFool(), x, y);
        var (success, median) = Measure(new CarliniWagnerL2(), x, y);
        Assert.True(success >= 0.95, $"C&W success {success:P1}");
        Assert.True(median <= 1.5 * deepFool, $"C&W median L2 {median} vs DeepFool {deepFool}");
    }

    [Fact]
    public void Margin_masks_the_own_class_with_minus_infinity_when_every_logit_is_negative()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new[] { -5f, -3f, -4f, -9f }).reshape(1, 4);
        var label = tensor(new[] { 1L });
        // untargeted: Z_1 − max(Z_0, Z_2, Z_3) = −3 − (−4) = 1 > 0, not yet adversarial (masking with 0 gives −3)
        Assert.Equal(1f, Losses.Margin(logits, label, targeted: false).item<float>(), 5);
        // targeted toward class 2: max(Z_0, Z_1, Z_3) − Z_2 = −3 − (−4) = 1 > 0, target not reached
        Assert.Equal(1f, Losses.Margin(logits, tensor(new[] { 2L }), targeted: true).item<float>(), 5);
    }

    [Property(MaxTest = 200)]
    public bool Margin_meets_specification_for_negative_logits(PositiveInt a, PositiveInt b, PositiveInt[] rest,
        NonNegativeInt pick, bool targeted)
    {
        using var scope = NewDisposeScope();
        var values = new[] { a, b }.Concat(rest).Select(v => -v.Get / 8f).ToArray();
        var k = pick.Get % values.Length;
        var others = values.Where((_, i) => i != k).Max();
        var expected = targeted ? others - values[k] : values[k] - others;
        var margin = Losses.Margin(tensor(values).reshape(1, values.Length), tensor(new[] { (long)k }), targeted);
        return Math.Abs(margin.item<float>() - expected) <= 1e-4 * (1 + Math.Abs(expected));
    }

    [Fact]
    public void MiFgsm_at_eps_0_3_is_at_least_as_strong_as_Fgsm()
    {
        using var scope = NewDisposeScope();
        var (x, y) = CorrectlyClassified();
        var fgsm = new Fgsm(0.3).Run(lenet.Model, x, new Untargeted(y)).Success.sum().item<long>();
        var mifgsm = new MiFgsm(0.3).Run(lenet.Model, x, new Untargeted(y)).Success.sum().item<long>();
        output.WriteLine($"broken of {Count}: fgsm {fgsm}, mifgsm {mifgsm}");
        Assert.True(mifgsm >= fgsm, $"MI-FGSM broke {mifgsm}, FGSM {fgsm}");
    }

    [Fact]
    public void Invalid_options_are_rejected_with_the_parameter_name()
    {
        Assert.Contains("c must", Assert.Throws<AdvexException>(() => new CarliniWagnerL2(c: 0)).Message);
        Assert.Contains("binary-search-steps", Assert.Throws<AdvexException>(() => new CarliniWagnerL2(binarySearchSteps: 0)).Message);
        Assert.Contains("overshoot", Assert.Throws<AdvexException>(() => new DeepFool(overshoot: -1)).Message);
        Assert.Contains("momentum", Assert.Throws<AdvexException>(() => new MiFgsm(0.3, momentum: double.NaN)).Message);
    }
}
