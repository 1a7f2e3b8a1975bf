namespace Advex.Tests.Models.Onnx;

using Advex.Models.Onnx;

/// <summary>Every op in <see cref="OnnxOps"/> obeys the same contract: a valid opset range, and anything outside what
/// its converter implements (newer opset, older opset, unknown attribute) is refused naming op, node and opset.</summary>
public sealed class OnnxOpsContractTests
{
    public static TheoryData<string> Ops => new(OnnxOps.Names);

    [Fact]
    public void Every_op_has_an_opset_range_inside_the_supported_one()
    {
        foreach (var e in OnnxOps.All)
            Assert.True(e.FirstOpset >= 1 && e.FirstOpset <= e.LastOpset && e.LastOpset <= OnnxOps.MaxOpset,
                $"{e.Name}: opsets {e.FirstOpset}–{e.LastOpset}");
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void An_op_is_refused_at_an_opset_after_its_range(string op)
    {
        var last = OnnxOps.All.Single(e => e.Name == op).LastOpset;
        AssertRefused(OnnxGraphs.SingleNode(op, last + 1, $"{op}_node"), op, last + 1);
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void An_op_is_refused_at_an_opset_before_its_range(string op)
    {
        var first = OnnxOps.All.Single(e => e.Name == op).FirstOpset;
        if (first <= 1) return;
        AssertRefused(OnnxGraphs.SingleNode(op, first - 1, $"{op}_node"), op, first - 1);
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void An_op_with_an_unknown_attribute_is_refused(string op)
    {
        var entry = OnnxOps.All.Single(e => e.Name == op);
        var opset = Math.Clamp(13, entry.FirstOpset, entry.LastOpset);
        var e = AssertRefused(OnnxGraphs.SingleNode(op, opset, $"{op}_node",
            OnnxGraphs.Text("not_an_onnx_attribute", "x")), op, opset);
        Assert.Contains("not_an_onnx_attribute", e.Message);
    }

    [Fact]
    public void Docs_list_every_registered_op()
    {
        var doc = File.ReadAllText(Path.Combine(Advex.Tests.Support.Paths.Root, "docs", "onnx.md"));
        var missing = OnnxOps.Names.Where(op => !doc.Contains($"`{op}`")).ToList();
        Assert.True(missing.Count == 0, $"docs/onnx.md does not list {string.Join(", ", missing)}");
    }

    private static OnnxUnsupportedException AssertRefused(global::Onnx.ModelProto model, string op, int opset)
    {
        var e = Assert.Throws<OnnxUnsupportedException>(() => new OnnxGraphModule(model, "test.onnx"));
        Assert.Contains($"ONNX op {op} ", e.Message);
        Assert.Contains($"'{op}_node'", e.Message);
        Assert.Contains($"opset {opset}", e.Message);
        return e;
    }
}
