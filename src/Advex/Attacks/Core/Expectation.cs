namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// Expectation over transformation (Athalye, Carlini, Wagner 2018, "Obfuscated Gradients Give a False Sense of
/// Security"; Athalye et al. 2018, "Synthesizing Robust Adversarial Examples") for randomized models: while an
/// expectation is open, every input gradient of <see cref="Gradients"/> is the mean over N draws of the model's
/// randomness, ∇̂ₓL = (1/N)·Σₙ ∇ₓL(f_θₙ(x)), with the logits averaged the same way, and every gradient evaluation is
/// counted N times. The model draws its randomness from libtorch's global generator; opening an expectation seeds it
/// (so an attack on a randomized model is deterministic given the seed and the batch) and closing it restores the
/// generator's previous state. Expectations do not nest: an inner one with one draw keeps the outer one's.
/// </summary>
public sealed class Expectation : IDisposable
{
    [ThreadStatic] private static int current;
    private readonly int previous;
    private readonly Tensor? savedState;

    private Expectation(int draws, long seed)
    {
        previous = Draws;
        if (draws <= 1) return;
        savedState = TorchSharp.torch.random.get_rng_state();
        TorchSharp.torch.random.manual_seed(seed);
        current = draws;
    }

    /// <summary>The draws each gradient averages over on this thread (1 outside an expectation).</summary>
    public static int Draws => Math.Max(1, current);

    /// <summary>Opens an expectation over <paramref name="draws"/> draws, seeding the global generator with
    /// <paramref name="seed"/>; with one draw it changes nothing.</summary>
    public static Expectation Over(int draws, long seed) => new(draws, seed);

    public void Dispose()
    {
        if (savedState is null) return;
        TorchSharp.torch.random.set_rng_state(savedState);
        savedState.Dispose();
        current = previous;
    }
}
