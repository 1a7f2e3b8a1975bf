namespace Advex.Tests;

using static TorchSharp.torch;

public class TorchLoadsTests
{
    [Fact]
    public void Libtorch_loads_and_computes()
    {
        var version = Advex.Native.TorchRuntime.EnsureLoaded();
        Assert.False(string.IsNullOrEmpty(version));
        using var x = tensor(new float[] { 1, 2, 3 });
        Assert.Equal(14f, (x * x).sum().item<float>());
    }
}
