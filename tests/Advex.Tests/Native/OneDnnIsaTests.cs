namespace Advex.Tests.Native;

using Advex.Native;

public class OneDnnIsaTests
{
    /// <summary>The cap is in the process environment before any test could run a convolution, unless the
    /// environment named its own (then that value is kept).</summary>
    [Fact]
    public void OneDnn_is_capped_at_avx2_unless_the_environment_says_otherwise()
    {
        OneDnnIsa.Apply();
        var value = Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA");
        if (Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is null)
            Assert.False(string.IsNullOrEmpty(value));
        Assert.NotNull(value ?? Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA"));
    }
}
