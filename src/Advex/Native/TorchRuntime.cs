namespace Advex.Native;

using TorchSharp;

/// <summary>Checks once, before the first tensor, that libtorch loads, and says clearly why when it does not.</summary>
public static class TorchRuntime
{
    private static readonly Lazy<string> Version = new(Load);

    /// <summary>Loads TorchSharp's native backend (idempotent) and returns the libtorch version string.</summary>
    public static string EnsureLoaded() => Version.Value;

    /// <summary>
    /// libtorch's intra-op threads <see cref="UseThreads"/> sets, unless the environment chooses (<c>OMP_NUM_THREADS</c>,
    /// <c>ADVEX_THREADS</c>); null leaves libtorch's own default (one per core). The <c>advex</c> tool sets 1: on a
    /// shared 2-core machine a PGD job ran several times faster on one thread than on two
    /// (<c>scripts/measure-threads.sh</c>, results in benchmarks/results/threads-1-vs-2.md); <c>--workers N</c> is the way to use N cores.
    /// </summary>
    public static int? DefaultThreads { get; set; }

    /// <summary>Loads libtorch and sets its intra-op threads to <see cref="ThreadsWanted"/> when there is a
    /// wish.</summary>
    public static void UseThreads()
    {
        EnsureLoaded();
        if (ThreadsWanted() is { } threads && threads != torch.get_num_threads()) torch.set_num_threads(threads);
    }

    /// <summary>The thread count the environment asks for (<c>ADVEX_THREADS</c>, else <c>OMP_NUM_THREADS</c>), or
    /// <see cref="DefaultThreads"/>.</summary>
    public static int? ThreadsWanted()
    {
        foreach (var name in new[] { "ADVEX_THREADS", "OMP_NUM_THREADS" })
            if (int.TryParse(Environment.GetEnvironmentVariable(name), out var n) && n > 0) return n;
        return DefaultThreads;
    }

    private static string Load()
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            Nnpack.Disable();
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
