namespace Advex.Tests.Native;

using Advex.Native;

/// <summary>Loading libtorch through Advex switches NNPACK off (it only printed warnings on this hardware).</summary>
public sealed class NnpackTests
{
    [Fact]
    public void Libtorch_loaded_by_advex_never_tries_nnpack()
    {
        TorchRuntime.EnsureLoaded();
        Assert.False(Nnpack.IsEnabled());
    }
}
