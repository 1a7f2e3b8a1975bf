namespace Advex.Tests.Models.Onnx;

using System.Diagnostics;
using Advex.Models.Onnx;
using Advex.Tests.Support;
using global::Onnx;
using static TorchSharp.torch;

/// <summary>
/// Loading is linear in the graph's size and interruptible (issue 22, item 14: a 200k-node chain took more than 12
/// minutes); constant sub-graphs and BatchNorm are folded at load without changing what the graph computes.
/// </summary>
public sealed class OnnxGraphLoadTests
{
    /// <summary>A chain of <paramref name="length"/> nodes (Relu and Identity alternating) over x [1,3,4,4].</summary>
    private static ModelProto Chain(int length, bool shuffled)
    {
        var model = OnnxGraphs.SingleNode("Relu", 13, "n0");
        var graph = model.Graph;
        graph.Node.Clear();
        var nodes = new List<NodeProto>(length);
        for (var i = 0; i < length; i++)
        {
            var node = new NodeProto { OpType = i % 2 == 0 ? "Relu" : "Identity", Name = $"n{i}" };
            node.Input.Add(i == 0 ? "x" : $"v{i - 1}");
            node.Output.Add(i == length - 1 ? "y" : $"v{i}");
            nodes.Add(node);
        }
        if (shuffled) nodes.Reverse(); // the worst order for a sort that rescans the pending nodes
        graph.Node.AddRange(nodes);
        return model;
    }

    [Fact]
    public void A_200k_node_chain_loads_and_runs_within_seconds_in_any_node_order()
    {
        using var _ = new SingleThread();
        var path = OnnxGraphs.Save(Chain(200_000, shuffled: true));
        var clock = Stopwatch.StartNew();
        using var module = new OnnxGraphModule(OnnxFile.Read(path), path);
        var load = clock.Elapsed;
        Assert.Equal(200_000, module.StepCount);
        using var scope = NewDisposeScope();
        var x = rand([1, 3, 4, 4], generator: new Generator(1)) - 0.5;
        Tensor y;
        using (no_grad()) y = module.call(x);
        Assert.True((y - x.relu()).abs().max().item<float>() == 0, "the chain does not compute relu");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"loading took {load.TotalSeconds:F1} s, running {clock.Elapsed.TotalSeconds:F1} s in all");
    }

    [Fact]
    public void Loading_time_grows_linearly_with_the_graph()
    {
        using var _ = new SingleThread();
        double Seconds(int n)
        {
            var proto = Chain(n, shuffled: true);
            var clock = Stopwatch.StartNew();
            using var module = new OnnxGraphModule(proto, "chain.onnx");
            return clock.Elapsed.TotalSeconds;
        }
        Seconds(5_000); // warm-up
        var small = Seconds(20_000);
        var large = Seconds(80_000);
        // 4x the nodes: quadratic would be 16x; allow noise on a shared machine
        Assert.True(large < 8 * small + 0.5, $"20k nodes {small:F2} s, 80k nodes {large:F2} s");
    }

    [Fact]
    public void A_requested_stop_interrupts_loading()
    {
        var proto = Chain(50_000, shuffled: true);
        Interruption.Request("SIGTERM");
        try
        {
            var e = Assert.Throws<InterruptedException>(() => new OnnxGraphModule(proto, "chain.onnx"));
            Assert.Contains("while loading ONNX model chain.onnx", e.Message);
        }
        finally
        {
            Interruption.Reset();
        }
    }

    [Fact]
    public void A_cycle_is_refused_by_name()
    {
        var model = Chain(3, shuffled: false);
        model.Graph.Node[0].Input[0] = "y"; // n0 reads the chain's own end
        var e = Assert.Throws<AdvexException>(() => new OnnxGraphModule(model, "cycle.onnx"));
        Assert.Contains("cycle", e.Message);
    }

    /// <summary>Conv then BatchNormalization (non-trivial statistics): folded and unfolded give the same output and input gradient.</summary>
    [Fact]
    public void Folding_batchnorm_into_the_convolution_keeps_logits_and_input_gradients()
    {
        using var _ = new SingleThread();
        var rng = new Generator(3);
        using var scope = NewDisposeScope();
        TensorProto Random(string name, long[] dims, double scale, double offset)
        {
            var values = (rand(dims, generator: rng) * scale + offset).data<float>().ToArray();
            var t = OnnxGraphs.Float32s(dims, values);
            t.Name = name;
            return t;
        }
        var model = OnnxGraphs.SingleNode("Conv", 13, "conv", OnnxGraphs.Ints("pads", 1, 1, 1, 1));
        var conv = model.Graph.Node[0];
        conv.Input.Add("w");
        conv.Input.Add("b");
        conv.Output[0] = "c";
        model.Graph.Initializer.AddRange([Random("w", [5, 3, 3, 3], 1, -0.5), Random("b", [5], 1, -0.5),
            Random("scale", [5], 1, 0.5), Random("shift", [5], 1, -0.5), Random("mean", [5], 0.4, -0.2), Random("var", [5], 1, 0.5)]);
        var bn = new NodeProto { OpType = "BatchNormalization", Name = "bn" };
        bn.Input.AddRange(["c", "scale", "shift", "mean", "var"]);
        bn.Output.Add("y");
        model.Graph.Node.Add(bn);
        using var folded = new OnnxGraphModule(model, "bn.onnx");
        using var plain = new OnnxGraphModule(model, "bn.onnx", foldBatchNorm: false);
        Assert.Equal(1, folded.StepCount);
        Assert.Equal(2, plain.StepCount);
        var x = rand([2, 3, 4, 4], generator: rng);
        (Tensor Y, Tensor G) Run(OnnxGraphModule m)
        {
            using var grad = enable_grad();
            var xr = x.detach().requires_grad_(true);
            var y = m.call(xr);
            return (y.detach(), autograd.grad([(y * y).sum()], [xr])[0]);
        }
        var (y1, g1) = Run(folded);
        var (y2, g2) = Run(plain);
        Assert.True(OnnxFixture.Excess(y1, y2, 1e-5, 1e-5) <= 0, "outputs differ");
        Assert.True(OnnxFixture.Excess(g1, g2, 1e-5, 1e-5) <= 0, "input gradients differ");
    }
}
