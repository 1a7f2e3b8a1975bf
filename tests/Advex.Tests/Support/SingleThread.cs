namespace Advex.Tests.Support;

using TorchSharp;

/// <summary>
/// Runs libtorch on one thread until disposed, then restores the previous count. Small models train many times
/// faster on one thread than on two when the machine is busy (spinning thread barriers).
/// </summary>
public sealed class SingleThread : IDisposable
{
    private readonly int previous;

    public SingleThread()
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        previous = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    public void Dispose() => torch.set_num_threads(previous);
}
