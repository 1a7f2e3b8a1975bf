namespace Advex.Native;

using System.Runtime.InteropServices;

/// <summary>
/// Turns libtorch's NNPACK convolution path off. On x86 CPUs without the instructions NNPACK wants (this project's
/// AMD EPYC among them) libtorch 2.10 asks NNPACK again for every convolution oneDNN does not take (1×1 and depthwise
/// convolutions of batches of 16 or more, as in MobileNet) and prints "Could not initialize NNPACK! Reason:
/// Unsupported hardware." each time: a PGD run on 1,000 photos wrote hundreds of such lines to stderr. NNPACK never
/// computes anything there, so switching it off (<c>at::globalContext().setUserEnabledNNPACK(false)</c>, the
/// switch behind PyTorch's <c>torch.backends.nnpack.set_flags</c>) changes no result.
/// </summary>
public static class Nnpack
{
    /// <summary>Switches NNPACK off in the loaded libtorch; false when this libtorch exports no such switch.</summary>
    public static bool Disable()
    {
        try
        {
            SetUserEnabled(GlobalContext(), false);
            return !IsEnabled();
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Whether libtorch would try NNPACK.</summary>
    public static bool IsEnabled() => UserEnabled(GlobalContext());

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport("libtorch_cpu", EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
    private static extern void SetUserEnabled(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport("libtorch_cpu", EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabled(IntPtr context);
}
