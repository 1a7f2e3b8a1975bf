namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Models;
using Advex.Tests.Support;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

[Collection("lenet")]
public sealed class SquareTests(TrainedLeNet lenet, ITestOutputHelper output)
{
    /// <summary>The trained LeNet behind an input quantiser (round to 1/255): the same predictions up to rounding,
    /// but every input gradient is exactly zero, the crudest form of gradient masking.</summary>
    private sealed class Quantised : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;

        public Quantised(nn.Module<Tensor, Tensor> inner) : base("quantised")
        {
            this.inner = inner;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var q = x.mul(255).round().div(255);
            return inner.forward(q);
        }
    }

    [Fact]
    public void Square_breaks_a_gradient_masked_model_that_gradient_attacks_cannot_touch()
    {
        using var scope = NewDisposeScope();
        // not disposed: disposing the wrapper would dispose the shared LeNet inside it
        var masked = new Classifier(new Quantised(lenet.Model.Module), [1, 28, 28], 10);
        var (x, y) = lenet.Test.Slice(0, 128);
        var goal = new Untargeted(y);
        var clean = masked.Predict(x).eq(y).sum().item<long>();
        using var rng1 = new Generator(1);
        using var rng2 = new Generator(1);
        var pgd = new Pgd(0.3, Norm.Linf, steps: 20, stepSize: 0.03).Run(masked, x, goal, rng1);
        var square = new Square(0.3, queries: 300).Run(masked, x, goal, rng2);
        var pgdRobust = pgd.Success.logical_not().sum().item<long>();
        var squareRobust = square.Success.logical_not().sum().item<long>();
        output.WriteLine($"clean {clean}/128, PGD-20 robust {pgdRobust}, Square-300 robust {squareRobust}");
        Assert.True(pgdRobust >= clean - 20, $"PGD should be blind here: {pgdRobust} of {clean} still robust");
        Assert.True(squareRobust < clean / 2, $"Square left {squareRobust} of {clean} robust");
    }

    /// <summary>The trained LeNet, recording how many tensors are alive at each forward pass.</summary>
    private sealed class Counting : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;

        public Counting(nn.Module<Tensor, Tensor> inner) : base("counting")
        {
            this.inner = inner;
            RegisterComponents();
        }

        public List<long> Live { get; } = [];

        public override Tensor forward(Tensor x)
        {
            Live.Add(DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
            return inner.forward(x);
        }
    }

    [Fact]
    public void Square_holds_a_flat_tensor_count_over_its_queries()
    {
        using var scope = NewDisposeScope();
        var counting = new Counting(lenet.Model.Module);
        var model = new Classifier(counting, [1, 28, 28], 10); // not disposed: it wraps the shared LeNet
        var (x, y) = lenet.Test.Slice(0, 16);
        using var rng = new Generator(2);
        new Square(0.02, queries: 600).Run(model, x, new Untargeted(y), rng); // ε too small to break many: all queries run
        Assert.True(counting.Live.Count > 500, $"only {counting.Live.Count} forward passes");
        Assert.Equal(counting.Live[10], counting.Live[^2]);
    }

    [Fact]
    public void Square_size_follows_the_papers_halving_schedule_stretched_to_the_query_budget()
    {
        var full = new Square(0.3, queries: 10_000);
        Assert.Equal(0.8, full.Fraction(0));
        Assert.Equal(0.8, full.Fraction(10));
        Assert.Equal(0.4, full.Fraction(11));
        Assert.Equal(0.2, full.Fraction(51));
        Assert.Equal(0.8 / 512, full.Fraction(9_999));
        var short_ = new Square(0.3, queries: 1_000); // query 2 of 1,000 is query 20 of 10,000
        Assert.Equal(0.4, short_.Fraction(2));
        Assert.Equal(0.8 / 512, short_.Fraction(999));
    }
}
