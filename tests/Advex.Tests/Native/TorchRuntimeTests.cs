namespace Advex.Tests.Native;

using static TorchSharp.torch;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Libtorch_loads_after_the_build_fix_and_computes()
    {
        var version = Advex.Native.TorchRuntime.EnsureLoaded();
        Assert.StartsWith("2.", version);
        using var x = tensor(new float[] { 1, 2, 3 });
        using var y = (x * x).sum();
        Assert.Equal(14f, y.item<float>());
    }
}
