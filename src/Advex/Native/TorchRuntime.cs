namespace Advex.Native;

using TorchSharp;

/// <summary>Checks once, before the first tensor, that libtorch loads, and says clearly why when it does not.</summary>
public static class TorchRuntime
{
    private static readonly Lazy<string> Version = new(Load);

    /// <summary>Loads TorchSharp's native backend (idempotent) and returns the libtorch version string.</summary>
    public static string EnsureLoaded() => Version.Value;

    private static string Load()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            return torch.__version__;
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            throw new InvalidOperationException(
                "libtorch did not load: " + e.Message +
                " (Advex patches libLibTorchSharp.so after build/publish; rebuild, or see README 'Native library').", e);
        }
    }
}
