namespace Advex;

/// <summary>
/// A request to stop a long job (SIGINT or SIGTERM, registered by the command line). Loops call
/// <see cref="ThrowIfRequested"/> between batches and every attack step (each step counts its gradient evaluations or
/// queries in its AttackContext, which checks), file readers between chunks and the pickle reader every 65,536
/// instructions, so a job stops within one step with its last checkpoint intact and no partial output.
/// </summary>
public static class Interruption
{
    private static string? signal;

    /// <summary>The signal that asked to stop, or null.</summary>
    public static string? Signal => Volatile.Read(ref signal);

    public static void Request(string signalName) => Interlocked.CompareExchange(ref signal, signalName, null);

    /// <summary>Throws <see cref="InterruptedException"/> when a stop was requested; <paramref name="where"/> says
    /// where the job stopped and what it kept (e.g. "in epoch 3; the checkpoint of epoch 2 is kept").</summary>
    public static void ThrowIfRequested(Func<string> where)
    {
        if (Signal is { } s) throw new InterruptedException(s, where());
    }

    /// <summary>Where an attack or training step stopped, when its caller does not say more (see
    /// <see cref="InterruptedException.At"/>).</summary>
    public const string InsideAStep = "inside an attack step; the unfinished batch was dropped";

    /// <summary>Forgets a request (tests, and a host that runs several jobs in one process).</summary>
    public static void Reset() => Volatile.Write(ref signal, null);
}

/// <summary>A job stopped because <see cref="Interruption"/> was requested.</summary>
public sealed class InterruptedException(string signal, string where)
    : AdvexException($"interrupted by {signal}: stopped {where}")
{
    public string SignalName { get; } = signal;

    /// <summary>The same stop, described by the caller that knows what was kept.</summary>
    public InterruptedException At(string place) => new(SignalName, place);
}
