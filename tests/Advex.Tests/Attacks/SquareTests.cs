namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
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

    [Fact]
    public void L2_pattern_has_unit_norm_and_opposite_signed_halves_decaying_from_their_centres()
    {
        using var scope = NewDisposeScope();
        foreach (var s in new[] { 3, 5, 8, 9 })
        {
            var eta = SquareL2.Eta(s);
            Assert.Equal(new long[] { s, s }, eta.shape);
            Assert.True(Math.Abs(eta.square().sum().item<float>() - 1) < 1e-5);
            var top = eta[..(s / 2)];
            var bottom = eta[(s / 2)..];
            Assert.True(top.ge(0).all().item<bool>() && bottom.le(0).all().item<bool>());
            // the largest magnitude of each half is at its centre
            var centre = bottom.abs()[(s - s / 2) / 2, s / 2].item<float>();
            Assert.Equal(bottom.abs().max().item<float>(), centre);
        }
        Assert.Equal(3, SquareL2.Side(0.001, 28, 28));
        Assert.Equal(23, SquareL2.Side(0.64, 28, 28)); // round(√(0.64·784)) = 22, made odd
        Assert.Equal(28, SquareL2.Side(1.0, 28, 28));
    }

    [Fact]
    public void L2_square_stays_in_the_ball_and_box_and_breaks_the_lenet_from_scores_only()
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 128);
        var goal = new Untargeted(y);
        var clean = lenet.Model.Predict(x).eq(y).sum().item<long>();
        using var rng = new Generator(3);
        var r = new Square(2.0, queries: 300, norm: Norm.L2).Run(lenet.Model, x, goal, rng);
        var delta = r.Adversarial - x;
        Assert.True(LpBall.L2Norms(delta).max().item<float>() <= 2.0f + 1e-5f);
        Assert.True(r.Adversarial.min().item<float>() >= 0 && r.Adversarial.max().item<float>() <= 1);
        Assert.True(lenet.Model.Predict(r.Adversarial).ne(y).eq(r.Success).all().item<bool>());
        var robust = r.Success.logical_not().sum().item<long>();
        output.WriteLine($"clean {clean}/128, L2 Square-300 robust {robust} at eps 2");
        Assert.True(robust < clean * 3 / 4, $"L2 Square left {robust} of {clean} robust");
    }

    /// <summary>Each sample's windows and signs come from its own (seed, dataset index) key: a sample gets the same
    /// adversarial and query count in a batch of 24 as in a batch of 7 or 17, in L∞ (window and signs drawn without
    /// tensor ops) and L2, while the rows that break leave the batch at different queries.</summary>
    [Theory]
    [InlineData("linf", 0.1)]
    [InlineData("l2", 1.5)]
    public void Square_gives_a_sample_the_same_result_whatever_batch_it_rides_in(string normName, double eps)
    {
        using var scope = NewDisposeScope();
        var (x, y) = lenet.Test.Slice(0, 24);
        var attack = new Square(eps, queries: 150, norm: NormNames.Parse(normName));
        using var whole = AttackContext.For(9, [.. Enumerable.Range(100, 24).Select(i => (long)i)]);
        var all = attack.Run(lenet.Model, x, new Untargeted(y), whole);
        var parts = new[] { (0, 7), (7, 17) }.Select(p =>
        {
            using var rows = AttackContext.For(9, [.. Enumerable.Range(100 + p.Item1, p.Item2).Select(i => (long)i)]);
            var r = attack.Run(lenet.Model, x.narrow(0, p.Item1, p.Item2), new Untargeted(y.narrow(0, p.Item1, p.Item2)), rows);
            return (r.Adversarial, Queries: rows.QueryCounts);
        }).ToList();
        Assert.True(all.Adversarial.eq(cat(parts.Select(p => p.Adversarial).ToList(), 0)).all().item<bool>());
        Assert.Equal(whole.QueryCounts, parts.SelectMany(p => p.Queries));
        var broken = all.Success.sum().item<long>();
        Assert.InRange(broken, 1, 23); // some rows leave early, others stay to the end
    }

    [Fact]
    public void L1_square_is_refused_by_name()
    {
        var e = Assert.Throws<AdvexException>(() => new Square(1.0, norm: Norm.L1));
        Assert.Contains("square", e.Message);
    }
}
