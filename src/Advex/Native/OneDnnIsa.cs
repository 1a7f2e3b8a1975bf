namespace Advex.Native;

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

/// <summary>
/// Caps oneDNN, which runs libtorch's CPU convolutions, at its SSE4.1 kernels. On an AMD EPYC with AVX-512 (this
/// project's 2026-12 machine) libtorch 2.10's oneDNN computed wrong results with its wider kernels while PyTorch 1.13
/// on the same machine was right: with AVX-512 kernels the ONNX LeNet fixture's input gradient was 0.019 off the same
/// model's TorchScript one and PyTorch's (MALT distances off by 1.65×); capped at AVX2, channels-last LeNet gradients
/// were 31 % off and the logits of AlexNet, SqueezeNet, GoogLeNet and Inception v3 were wrong. Capped at SSE4.1
/// every logit and gradient test agrees with PyTorch. The cost is speed on machines whose wider kernels are right.
/// oneDNN reads <c>DNNL_MAX_CPU_ISA</c> from the process environment once, at its first primitive, so this runs when
/// the Advex assembly loads (before any model can run). A value the user set (<c>DNNL_MAX_CPU_ISA</c> or
/// <c>ONEDNN_MAX_CPU_ISA</c>) is left alone.
/// </summary>
public static class OneDnnIsa
{
    /// <summary>The ISA cap Advex sets when the environment names none.</summary>
    public const string Cap = "SSE41";

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
