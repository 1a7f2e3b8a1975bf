namespace Advex.Tests.Attacks;

using Advex.Attacks.Core;
using static TorchSharp.torch;

/// <summary>The one-reduction finiteness checks agree with libtorch's element-wise <c>isfinite</c>, including sums
/// that overflow although every term is finite.</summary>
public sealed class FiniteTests
{
    public static TheoryData<string> Cases => ["finite", "nan", "inf", "-inf", "inf and -inf", "overflow"];

    private static Tensor Batch(string name)
    {
        var t = rand([4, 1, 5, 5], generator: new Generator(7));
        var flat = t.view(-1);
        switch (name)
        {
            case "nan": flat[30] = tensor(float.NaN); break;
            case "inf": flat[99] = tensor(float.PositiveInfinity); break;
            case "-inf": flat[0] = tensor(float.NegativeInfinity); break;
            case "inf and -inf": (flat[3], flat[60]) = (tensor(float.PositiveInfinity), tensor(float.NegativeInfinity)); break;
            case "overflow": t.mul_(3e38f); break;
        }
        return t;
    }

    [Theory, MemberData(nameof(Cases))]
    public void All_count_and_replace_agree_with_isfinite(string name)
    {
        using var scope = NewDisposeScope();
        var t = Batch(name);
        var fallback = full_like(t, 0.5f);
        Assert.Equal(t.isfinite().all().item<bool>(), Finite.All(t));
        Assert.Equal(t.flatten(1).isfinite().logical_not().sum(1).data<long>().ToArray(),
            Finite.CountPerRow(t).data<long>().ToArray());
        var replaced = Finite.Or(t, fallback);
        Assert.True(replaced.isfinite().all().item<bool>());
        Assert.True(where(t.isfinite(), t, fallback).eq(replaced).all().item<bool>());
    }
}
