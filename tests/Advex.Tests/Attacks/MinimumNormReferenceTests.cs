namespace Advex.Tests.Attacks;

using System.Text.Json;
using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Data;
using Advex.Models;
using Advex.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

/// <summary>
/// FMN, EAD and HopSkipJump against independent references written from the papers in Python
/// (scripts/reference_decision_min_norm.py, Debian's PyTorch) on the TorchScript LeNet fixture and the first 64 MNIST
/// test images; the figures are in tests/fixtures/reference/decision-min-norm-lenet.json. FMN and EAD are
/// deterministic and agree image by image: since oneDNN is capped at SSE4.1 (Native/OneDnnIsa.cs) every FMN norm
/// (L∞, L2, L1, L0) matches the reference's within 0.03% and every EAD L1 within 0.51%, with equal medians (one
/// thread); the 7-11% gap measured before the cap was oneDNN's wrong AVX2 gradients. HopSkipJump draws different
/// random numbers, so its success at ε at the same query budget is compared with the spread of the reference's three seeds.
/// </summary>
public sealed class MinimumNormReferenceTests(ITestOutputHelper output)
{
    private const int N = 64;
    private static readonly JsonElement Reference = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(Paths.Fixtures, "reference", "decision-min-norm-lenet.json"))).RootElement;

    /// <summary>The LeNet in PyTorch's contiguous layout, as the reference ran it: channels-last convolutions and
    /// max-pooling give the same logits but route gradients differently where a pooling window holds ties (the zero
    /// background of MNIST), which moves gradient attacks.</summary>
    private static Classifier LeNet()
    {
        var model = ModelStore.Load(Path.Combine(Paths.TorchScript, "lenet.pt"));
        model.MemoryFormat = MemoryFormat.Contiguous;
        return model;
    }

    private static (Tensor X, Tensor Y) Images()
    {
        using var test = DataSource.Load("mnist", "test");
        return test.Slice(0, N);
    }

    /// <summary>Success over the correctly classified images and each image's norm (null when not broken).</summary>
    private static (double Success, double?[] Norms) Measure(Classifier model, AttackResult r, Tensor x, Tensor y, Norm norm)
    {
        var correct = model.Predict(x).eq(y);
        var broken = (r.Success & correct).data<bool>().ToArray();
        var norms = LpBall.Norms(r.Adversarial - x, norm).data<float>().ToArray();
        var success = broken.Count(b => b) / (double)correct.sum().item<long>();
        return (success, norms.Select((v, i) => broken[i] ? (double?)v : null).ToArray());
    }

    private static double Median(IEnumerable<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    /// <summary>The fraction of images both break whose norms agree within <paramref name="relative"/> (plus
    /// <paramref name="absolute"/>), and the largest relative gap.</summary>
    private static (double Agree, double Worst) PerImage(double?[] ours, double?[] theirs, double relative, double absolute = 0)
    {
        var both = Enumerable.Range(0, ours.Length).Where(i => ours[i] is not null && theirs[i] is not null).ToArray();
        var gaps = both.Select(i => (Gap: Math.Abs(ours[i]!.Value - theirs[i]!.Value), Ref: theirs[i]!.Value)).ToArray();
        return (gaps.Count(g => g.Gap <= relative * g.Ref + absolute) / (double)both.Length,
            gaps.Max(g => g.Gap / Math.Max(g.Ref, 1e-12)));
    }

    private static double?[] Norms(JsonElement e) =>
        e.GetProperty("norms").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble()).ToArray();

    [Theory]
    [InlineData("linf")]
    [InlineData("l2")]
    [InlineData("l1")]
    [InlineData("l0")]
    public void Fmn_matches_the_reference_median_norm_and_is_at_least_as_strong_as_the_papers_version(string normName)
    {
        using var single = new SingleThread(); // the reference ran on one thread; two change sums and, at the margin, L0 successes
        using var scope = NewDisposeScope();
        using var model = LeNet();
        var (x, y) = Images();
        var norm = NormNames.Parse(normName);
        var r = new Fmn(norm, steps: 100).Run(model, x, new Untargeted(y));
        var (success, norms) = Measure(model, r, x, y, norm);
        var same = Reference.GetProperty("fmn").GetProperty(normName).GetProperty("feasible");
        var paper = Reference.GetProperty("fmn").GetProperty(normName).GetProperty("paper");
        var median = Median(norms.OfType<double>());
        var refMedian = same.GetProperty("median_norm").GetDouble();
        output.WriteLine($"FMN {normName}: Advex success {success:P1}, median {median:F4}; reference (same rule) " +
            $"{same.GetProperty("success").GetDouble():P1}, {refMedian:F4}; paper's rule {paper.GetProperty("success").GetDouble():P1}, " +
            $"{paper.GetProperty("median_norm").GetDouble():F4}");
        var sameNorms = Norms(same);
        var (agree, worst) = PerImage(norms, sameNorms, 0.01, norm == Norm.L0 ? 1 : 0);
        output.WriteLine($"images within 1%: {agree:P1}, largest gap {worst:P2}");
        output.WriteLine("first images, Advex vs reference: " + string.Join("; ", Enumerable.Range(0, 12)
            .Select(i => $"{norms[i]:0.####}/{sameNorms[i]:0.####}")));
        Assert.True(success >= same.GetProperty("success").GetDouble() - 0.02, $"success {success} vs reference");
        // measured: equal medians and every image within 0.03% (L0: the same pixel count), so 1% (L0: ±1 pixel, the
        // margin of one rounding of ε)
        Assert.True(Math.Abs(median - refMedian) <= 0.01 * refMedian + (norm == Norm.L0 ? 1 : 0), $"median {median} vs {refMedian}");
        Assert.True(agree == 1, $"{agree:P1} of the images within 1% of the reference, largest gap {worst:P2}");
        // the paper's FMN (gradient not restricted to the box) breaks no more, and no closer on the images it breaks
        Assert.True(success >= paper.GetProperty("success").GetDouble());
        var paperNorms = Norms(paper);
        var both = Enumerable.Range(0, N).Where(i => paperNorms[i] is not null && norms[i] is not null).ToArray();
        var ours = Median(both.Select(i => norms[i]!.Value));
        var theirs = Median(both.Select(i => paperNorms[i]!.Value));
        Assert.True(ours <= 1.15 * theirs + (norm == Norm.L0 ? 1 : 0), $"on the images both break: median {ours} vs the paper's {theirs}");
    }

    [Fact]
    public void Ead_breaks_99_percent_with_the_references_median_l1()
    {
        using var single = new SingleThread(); // the reference ran on one thread; two change sums and, at the margin, L0 successes
        using var scope = NewDisposeScope();
        using var model = LeNet();
        var (x, y) = Images();
        var r = new Ead().Run(model, x, new Untargeted(y));
        var (success, norms) = Measure(model, r, x, y, Norm.L1);
        var reference = Reference.GetProperty("ead").GetProperty("l1");
        var median = Median(norms.OfType<double>());
        var refMedian = reference.GetProperty("median_norm").GetDouble();
        output.WriteLine($"EAD: Advex success {success:P1}, median L1 {median:F3}; reference {reference.GetProperty("success").GetDouble():P1}, {refMedian:F3}");
        var (agree, worst) = PerImage(norms, Norms(reference), 0.01);
        output.WriteLine($"images within 1%: {agree:P1}, largest gap {worst:P2}");
        Assert.True(success >= 0.99, $"EAD success {success}");
        // the acceptance bar against torchattacks is no more than 10% above; measured: the same median and every image
        // within 0.51% of this reference (EAD's last FISTA steps sum in a different order), so 1%
        Assert.True(Math.Abs(median - refMedian) <= 0.01 * refMedian, $"median L1 {median} vs reference {refMedian}");
        Assert.True(agree >= 0.98, $"{agree:P1} of the images within 1% of the reference, largest gap {worst:P2}");
        Assert.True((r.L1! - LpBall.L1Norms(r.Adversarial - x)).abs().max().item<float>() < 1e-3, "reported L1 is the real one");
    }

    [Theory]
    [InlineData("l2", ModelBackend.OnnxRuntime)]
    [InlineData("linf", ModelBackend.Torch)]
    public void HopSkipJump_success_at_eps_matches_the_reference_at_1000_queries(string normName, ModelBackend backend)
    {
        using var single = new SingleThread(); // the reference ran on one thread; two change sums and, at the margin, L0 successes
        using var scope = NewDisposeScope();
        using var model = backend == ModelBackend.Torch
            ? ModelStore.Load(Path.Combine(Paths.TorchScript, "lenet.pt"))
            : ModelStore.Load(Path.Combine(Paths.Fixtures, "onnx", "lenet.onnx"), new ModelOptions(Backend: backend));
        var (x, y) = Images();
        var norm = NormNames.Parse(normName);
        var attack = new HopSkipJump(norm, queries: 1000);
        using var context = AttackContext.Sequential(N, 0);
        var r = attack.Run(model, x, new Untargeted(y), context);
        Assert.True(context.QueryCounts.Max() <= 1000, $"spent {context.QueryCounts.Max()} queries");
        var (_, norms) = Measure(model, r, x, y, norm);
        var correct = model.Predict(x).eq(y).data<bool>().ToArray();
        var runs = Reference.GetProperty("hsj").GetProperty(normName).EnumerateArray().ToArray();
        foreach (var eps in runs[0].GetProperty("success_at_eps").EnumerateObject().Select(p => p.Name))
        {
            var e = double.Parse(eps, System.Globalization.CultureInfo.InvariantCulture);
            var ours = Enumerable.Range(0, N).Count(i => correct[i] && norms[i] is { } v && v <= e + 1e-6) / (double)correct.Count(c => c);
            var theirs = runs.Select(run => run.GetProperty("success_at_eps").GetProperty(eps).GetDouble()).ToArray();
            output.WriteLine($"HSJ {normName} ε {eps} ({backend}): Advex {ours:P1}, reference seeds {string.Join(", ", theirs.Select(t => t.ToString("P1")))}");
            Assert.True(ours >= theirs.Min() - 0.08 && ours <= theirs.Max() + 0.08, $"success at ε {eps}: {ours} vs {string.Join(", ", theirs)}");
        }
    }
}
