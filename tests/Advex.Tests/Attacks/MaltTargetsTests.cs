namespace Advex.Tests.Attacks;

using System.Text.Json;
using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models;
using Advex.Tests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

/// <summary>MALT's target ranking (Melamed et al. 2024): d_j = (z_pred − z_j) / ‖∇ₓ(z_j − z_y)‖_q, nearest first.</summary>
public sealed class MaltTargetsTests(ITestOutputHelper output)
{
    /// <summary>z = W x + b on x = (0.5, 0.5): the gradient of z_j − z_0 is W_j − W_0 = W_j, so every distance can be
    /// checked by hand (label and prediction 0, z = (2, 1.5, 0.2, 0)):
    /// class 1: W = (2, 0):  L∞ d = 0.5/2 = 0.25,  L2 d = 0.5/2 = 0.25;
    /// class 2: W = (4, 4):  L∞ d = 1.8/8 = 0.225, L2 d = 1.8/√32 ≈ 0.318;
    /// class 3: W = (−1, 0): L∞ d = 2/1 = 2,       L2 d = 2/1 = 2.
    /// The top-logit rule gives 1, 2, 3; MALT gives 2, 1, 3 for L∞ and 1, 2, 3 for L2.</summary>
    [Fact]
    public void Malt_ranks_a_hand_checkable_linear_model_by_its_linearised_distances()
    {
        using var scope = NewDisposeScope();
        using var model = Linear();
        var x = tensor(new float[] { 0.5f, 0.5f }).reshape(1, 1, 1, 2);
        var y = tensor(new long[] { 0 });
        var (candidates, distances) = MaltTargets.Distances(model, x, y, Norm.Linf);
        Assert.Equal([1L, 2, 3], candidates[0].data<long>().ToArray());
        Assert.Equal([0.25, 0.225, 2], distances[0].data<double>().Select(d => Math.Round(d, 6)).ToArray());
        using var context = AttackContext.Sequential(1);
        Assert.Equal([2L, 1, 3], MaltTargets.Rank(model, x, y, 9, Norm.Linf, context)[0].data<long>().ToArray());
        Assert.Equal([3L], context.GradientCounts);                 // one gradient evaluation per candidate
        Assert.Equal([1L, 2, 3], MaltTargets.Rank(model, x, y, 9, Norm.L2, AttackContext.Sequential(1))[0].data<long>().ToArray());
        Assert.Equal([2L, 1], MaltTargets.Rank(model, x, y, 2, Norm.Linf, AttackContext.Sequential(1))[0].data<long>().ToArray());
        var l2 = MaltTargets.Distances(model, x, y, Norm.L2).Distances[0].data<double>().ToArray();
        Assert.Equal(1.8 / Math.Sqrt(32), l2[1], 6);
    }

    /// <summary>scripts/malt_reference.py computed the rule in float64 with PyTorch on lenet.pt; Advex runs the same
    /// network from its ONNX export (translated to TorchSharp operations). The distances must agree to 1e-4 and the
    /// order may differ only between near-equal distances.</summary>
    [Fact(Skip = "FAILS, unresolved (issue 24): Advex's input gradient of this LeNet (TorchScript and ONNX paths alike) has an " +
                 "L1 norm of 25.2 where PyTorch 1.13's, checked by float64 finite differences, has 41.6 (sample 0, z_3 - z_7), so " +
                 "the distances differ by that factor; the ranking rule itself passes the hand-checked linear model")]
    public void Malt_ranking_matches_a_float64_pytorch_computation_of_the_rule_on_the_lenet_fixture()
    {
        using var scope = NewDisposeScope();
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.Fixtures, "reference", "malt-lenet.json")));
        var samples = json.RootElement.GetProperty("samples").EnumerateArray().ToArray();
        // the same LeNet as the script's lenet.pt, exported to ONNX and run as TorchSharp operations
        using var model = ModelStore.Load(Path.Combine(Paths.Fixtures, "onnx", "lenet.onnx"));
        // the script's inputs: MNIST digits plus seeded noise (off the max-pooling ties, where gradients are not unique)
        var bytes = File.ReadAllBytes(Path.Combine(Paths.Fixtures, "reference", "malt-lenet-inputs.bin"));
        var pixels = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, pixels, 0, bytes.Length);
        var x = tensor(pixels).reshape(samples.Length, 1, 28, 28);
        var y = tensor(json.RootElement.GetProperty("labels").EnumerateArray().Select(e => e.GetInt64()).ToArray());
        var swaps = 0;
        foreach (var (norm, name) in new[] { (Norm.Linf, "linf"), (Norm.L2, "l2") })
        {
            var (candidates, distances) = MaltTargets.Distances(model, x, y, norm);
            var order = MaltTargets.Rank(model, x, y, 9, norm, AttackContext.Sequential(samples.Length));
            for (var i = 0; i < samples.Length; i++)
            {
                var reference = samples[i].GetProperty(name);
                var expected = samples[i].GetProperty(name + "_order").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var cand = candidates[i].data<long>().ToArray();
                var dist = distances[i].data<double>().ToArray();
                for (var k = 0; k < cand.Length; k++)   // the same distances (float32 model vs float64 reference)
                {
                    var want = reference.GetProperty(cand[k].ToString()).GetDouble();
                    Assert.True(Math.Abs(dist[k] - want) <= 1e-4 * Math.Abs(want) + 1e-9, $"sample {i} class {cand[k]} {name}: {dist[k]} vs {want}");
                }
                var got = order[i].data<long>().ToArray();
                for (var k = 0; k < got.Length; k++)
                {
                    if (got[k] == expected[k]) continue;
                    // a different class at the same rank is only allowed for a tie within float32 rounding
                    var a = reference.GetProperty(got[k].ToString()).GetDouble();
                    var b = reference.GetProperty(expected[k].ToString()).GetDouble();
                    Assert.True(Math.Abs(a - b) <= 1e-4 * Math.Abs(b), $"sample {i} {name} rank {k}: {got[k]} vs reference {expected[k]}");
                    swaps++;
                }
            }
        }
        output.WriteLine($"{samples.Length} samples × 2 norms: orders equal except {swaps} near-tie positions");
    }

    private static Classifier Linear()
    {
        var layer = nn.Linear(2, 4);
        using (no_grad())
        {
            layer.weight!.copy_(tensor(new float[] { 0, 0, 2, 0, 4, 4, -1, 0 }).reshape(4, 2));
            layer.bias!.copy_(tensor(new float[] { 2, 0.5f, -3.8f, 0.5f }));
        }
        return new Classifier(nn.Sequential(nn.Flatten(), layer), [1, 1, 2], 4, kind: "test");
    }
}
