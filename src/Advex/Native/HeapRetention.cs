namespace Advex.Native;

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

/// <summary>
/// Keeps glibc's C heap from handing freed tensor memory back to the kernel after every attack step. libtorch
/// allocates each step's activations, gradients and im2col buffers (megabytes each) with malloc and frees them at
/// the step's end; with glibc's defaults, chunks above the adaptive mmap threshold are mapped and unmapped every
/// time and the heap top is trimmed whenever more than twice that threshold is free, so the next step faults every
/// page in again. On the LeNet fixture (batch 100, one thread) a benchmark of single steps faulted 230,000 pages
/// instead of 43,000 and spent a third to a half more CPU per gradient; a whole standard AutoAttack run, 3–11 % more.
/// This sets <c>M_MMAP_THRESHOLD</c> to <see cref="MmapThreshold"/> and <c>M_TRIM_THRESHOLD</c>
/// to <see cref="TrimThreshold"/> (mallopt(3)): what a step frees stays in the heap for the next one. Nothing
/// computed changes, only where the memory comes from; the peak resident size is what the steps use at once, and
/// <see cref="ProcessMemory.Trim"/> still returns free pages when asked. Runs when the Advex assembly loads; a
/// process whose environment already tunes malloc (<c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_TRIM_THRESHOLD_</c>,
/// <c>GLIBC_TUNABLES</c>) is left alone, and so is any C library without mallopt.
/// </summary>
public static class HeapRetention
{
    /// <summary>Allocations at least this large (64 MiB) are still mapped on their own and returned when freed.</summary>
    public const int MmapThreshold = 64 << 20;

    /// <summary>Free memory at the heap top beyond this (256 MiB) is returned to the kernel.</summary>
    public const int TrimThreshold = 256 << 20;

    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;
    private static int applied;

    /// <summary>True once <see cref="Apply"/> has set both thresholds in this process.</summary>
    public static bool Active { get; private set; }

    /// <summary>Sets both thresholds unless the environment tunes malloc itself (idempotent).</summary>
    public static void Apply()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1 || !OperatingSystem.IsLinux()) return;
        if (new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES" }
            .Any(v => Environment.GetEnvironmentVariable(v) is not null)) return;
        try
        {
            Active = mallopt(MMmapThreshold, MmapThreshold) == 1 && mallopt(MTrimThreshold, TrimThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

#pragma warning disable CA2255 // a library initializer on purpose: it must precede libtorch's first step
    [ModuleInitializer]
    internal static void OnLoad() => Apply();
#pragma warning restore CA2255

    [DllImport("libc")]
    private static extern int mallopt(int param, int value);
}
