namespace Advex.Tests.Defenses;

using Advex.Data;
using Advex.Defenses;
using Advex.Models;
using static TorchSharp.torch;

public sealed class GradAlignTests
{
    private static (Tensor X, Tensor Y) Batch(int n)
    {
        using var test = DataSource.Load("mnist", "test");
        return test.Slice(0, n);
    }

    [Fact]
    public void Penalty_is_zero_when_the_input_gradient_direction_cannot_change()
    {
        // Two-class linear model: ∇ₓCE = (p₁ − [y = 1])·(w₁ − w₀), whose direction depends on y only, so the
        // gradients at x and at x + η are parallel and 1 − cos = 0.
        using var scope = NewDisposeScope();
        manual_seed(5);
        var net = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 2));
        using var model = new Classifier(net, [1, 28, 28], 2);
        var (x, digits) = Batch(64);
        var y = digits.remainder(2);
        using var rng = new Generator(1);
        Assert.True(GradAlign.Penalty(model, x, y, 0.3, rng).item<float>() < 1e-5);
    }

    [Fact]
    public void Penalty_of_a_nonlinear_net_is_positive_bounded_and_trains_the_parameters()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var model = new Classifier(Architectures.Create("lenet", [1, 28, 28], 10), [1, 28, 28], 10, architecture: "lenet");
        var (x, y) = Batch(64);
        using var rng = new Generator(2);
        var small = GradAlign.Penalty(model, x, y, 1e-4, rng).item<float>();
        var penalty = GradAlign.Penalty(model, x, y, 0.3, rng);
        var value = penalty.item<float>();
        Assert.True(value > 0.01 && value <= 2, $"1 − cos = {value}");
        Assert.True(small < value, $"a tiny ball aligns better ({small} vs {value})");
        Assert.All(model.Module.parameters(), p => Assert.True(p.grad is null, "Penalty must not touch parameter gradients"));
        penalty.backward(); // double backpropagation through the gradient at x + η
        var conv = model.Module.parameters().First();
        Assert.True(conv.grad is { } g && g.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Options_accept_grad_align_for_single_step_methods_only()
    {
        Assert.Equal(0, new AdversarialTraining("fgsm-rs", 0.3).GradAlign);
        Assert.Equal(0.5, new AdversarialTraining("fgsm-rs", 0.3, gradAlign: 0.5).GradAlign);
        Assert.Equal(0.5, new AdversarialTraining("n-fgsm", 0.3, gradAlign: 0.5).GradAlign);
        Assert.Throws<AdvexException>(() => new AdversarialTraining("pgd", 0.3, gradAlign: 0.5));
        Assert.Throws<AdvexException>(() => new AdversarialTraining("fgsm-rs", 0.3, gradAlign: -1));
    }
}
