namespace Advex.Native;

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

/// <summary>
/// Caps oneDNN, which runs libtorch's CPU convolutions, at AVX2 kernels. With its AVX-512 kernels, libtorch 2.10's
/// oneDNN computed wrong convolution input gradients on an AMD EPYC with AVX-512 (the ONNX LeNet fixture's gradient
/// off by 0.019 from the same model's TorchScript one and PyTorch's, MALT distances off by 1.65×, GoogLeNet and
/// Inception v3 gradients wrong or NaN, ResNet-50 at 224 px killed by SIGFPE); capped at AVX2 they equal PyTorch's.
/// oneDNN reads <c>DNNL_MAX_CPU_ISA</c> from the process environment once, at its first primitive, so this runs when
/// the Advex assembly loads (before any model can run). A value the user set (<c>DNNL_MAX_CPU_ISA</c> or
/// <c>ONEDNN_MAX_CPU_ISA</c>) is left alone.
/// </summary>
public static class OneDnnIsa
{
    /// <summary>The ISA cap Advex sets when the environment names none.</summary>
    public const string Cap = "AVX2";

    private static int applied;

    /// <summary>Sets <c>DNNL_MAX_CPU_ISA</c> in the native environment unless it (or its ONEDNN_ alias) is set.</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1 || !OperatingSystem.IsLinux()) return;
        if (Environment.GetEnvironmentVariable("DNNL_MAX_CPU_ISA") is not null ||
            Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is not null) return;
        setenv("DNNL_MAX_CPU_ISA", Cap, 0);           // native environment: what oneDNN's getenv sees
        Environment.SetEnvironmentVariable("DNNL_MAX_CPU_ISA", Cap); // and the managed copy, for child processes
    }

#pragma warning disable CA2255 // a library initializer on purpose: the cap must precede libtorch's first convolution
    [ModuleInitializer]
    internal static void OnLoad() => Apply();
#pragma warning restore CA2255

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
