namespace Advex.Tests.Text;

using System.Runtime.InteropServices;
using Advex.Data;
using Advex.Defenses;
using Advex.Tests.Support;
using Advex.Text;
using TorchSharp;
using static TorchSharp.torch;

public sealed class ParameterPerturbationTests
{
    private const int Steps = 6;

    private static byte[] Bytes(Tensor t) => MemoryMarshal.AsBytes(t.detach().cpu().data<float>().ToArray().AsSpan()).ToArray();

    private static Dictionary<string, byte[]> Snapshot(nn.Module m) =>
        m.named_parameters().ToDictionary(p => p.name, p => Bytes(p.parameter));

    /// <summary>
    /// Trains a TextCnn for a few Adam steps with the perturbation; after every step's clean backward it copies every
    /// parameter, and checks after the perturbation that every parameter is bit-for-bit the copy, that the embedding
    /// gradient changed, and (through <paramref name="whilePerturbed"/>) what the perturbation was.
    /// </summary>
    private static void TrainWith(Func<TextCnn, ParameterPerturbation> make, Action<int, double> whilePerturbed)
    {
        using var threads = new SingleThread();
        using var corpus = SentimentCorpus.Load();
        torch.manual_seed(3);
        using var initial = corpus.InitialEmbeddings();
        using var model = new TextCnn(initial);
        var perturbation = make(model);
        Assert.Equal([TextCnn.EmbeddingParameter], perturbation.ParameterNames);
        using var optimizer = optim.Adam(model.parameters(), 1e-3);
        var embedding = model.named_parameters().Single(p => p.name == TextCnn.EmbeddingParameter).parameter;
        model.train();
        var step = 0;
        foreach (var idx in Batching.Shuffled(corpus.Train.Count, 32, 5).Take(Steps))
        {
            using var scope = NewDisposeScope();
            var (ids, y) = corpus.Train.Batch(idx);
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.call(ids), y).backward();
            var before = Snapshot(model);
            var clean = embedding.detach().clone();
            var cleanGrad = embedding.grad!.clone();
            var calls = 0;
            perturbation.AccumulateAdversarialGradient(() =>
            {
                calls++;
                using (no_grad()) whilePerturbed(calls, (embedding - clean).norm().item<float>());
                return nn.functional.cross_entropy(model.call(ids), y);
            });
            Assert.True(calls >= 1);
            var after = Snapshot(model);
            foreach (var (name, bytes) in before)
                Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"step {step}: {name} not restored bit-for-bit");
            Assert.False(Bytes(cleanGrad).AsSpan().SequenceEqual(Bytes(embedding.grad!)), "the adversarial gradient was not accumulated");
            optimizer.step();
            step++;
        }
        Assert.Equal(Steps, step);
    }

    [Fact]
    public void Fgm_restores_every_parameter_bit_for_bit_after_every_step_and_moves_the_embedding_by_eps()
    {
        var norms = new List<double>();
        TrainWith(m => new ParameterFgm(m, eps: 0.7), (call, norm) =>
        {
            Assert.Equal(1, call);
            norms.Add(norm);
        });
        Assert.Equal(Steps, norms.Count);
        foreach (var n in norms) Assert.Equal(0.7, n, 4);
    }

    [Fact]
    public void Pgd_restores_every_parameter_bit_for_bit_after_every_step_and_stays_in_the_eps_ball()
    {
        var calls = new List<(int Call, double Norm)>();
        TrainWith(m => new ParameterPgd(m, eps: 0.5, alpha: 0.3, steps: 3), (call, norm) => calls.Add((call, norm)));
        Assert.Equal(Steps * 3, calls.Count);
        foreach (var (call, norm) in calls)
        {
            Assert.True(norm <= 0.5 + 1e-4, $"step {call}: ‖δ‖ = {norm} > ε");
            if (call == 1) Assert.Equal(0.3, norm, 4); // first step: α along the clean gradient, inside the ball
        }
        Assert.Contains(calls, c => c.Call == 3 && Math.Abs(c.Norm - 0.5) < 1e-4); // later steps reach the boundary
    }

    [Fact]
    public void Works_on_any_module_by_parameter_name_and_restores_after_a_failing_loss()
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        torch.manual_seed(1);
        using var net = nn.Sequential(("fc1", nn.Linear(4, 8)), ("act", nn.ReLU()), ("fc2", nn.Linear(8, 2)));
        using var x = randn(16, 4);
        using var y = randint(0, 2, [16], ScalarType.Int64);
        nn.functional.cross_entropy(net.call(x), y).backward();
        var fgm = new ParameterFgm(net, 0.1, ["fc1.weight", "fc2.bias"]);
        Assert.Equal(["fc1.weight", "fc2.bias"], fgm.ParameterNames);
        var before = Snapshot(net);
        Assert.Throws<InvalidOperationException>(() => fgm.AccumulateAdversarialGradient(() => throw new InvalidOperationException("boom")));
        var after = Snapshot(net);
        foreach (var (name, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[name]), name);

        var e = Assert.Throws<AdvexException>(() => new ParameterFgm(net, 0.1, ["fc3.weight"]));
        Assert.Contains("fc3.weight", e.Message);
        Assert.Contains("fc1.weight", e.Message);
        Assert.Throws<AdvexException>(() => new ParameterFgm(net)); // no parameter named like "embedding"
        Assert.Throws<AdvexException>(() => new ParameterPgd(net, 1.0, 0.3, 0, ["fc1.weight"]));
        Assert.Throws<AdvexException>(() => new ParameterFgm(net, -1, ["fc1.weight"]));
    }
}
