namespace Advex.Attacks.Core;

using Advex.Models;
using static TorchSharp.torch;

/// <summary>Target pickers for targeted attacks.</summary>
public static class Targets
{
    /// <summary>A uniformly random class different from each label.</summary>
    public static Tensor Random(Tensor labels, int classes, Generator? rng = null)
    {
        using var scope = NewDisposeScope();
        var offset = randint(1, classes, labels.shape, generator: rng, dtype: ScalarType.Int64);
        return ((labels + offset) % classes).MoveToOuterDisposeScope();
    }

    /// <summary>A uniformly random class different from each label, from the rows' counter-based numbers.</summary>
    public static Tensor Random(Tensor labels, int classes, AttackContext context)
    {
        using var scope = NewDisposeScope();
        var offset = context.Stream("targets").Integers(1, classes);
        return ((labels + offset) % classes).MoveToOuterDisposeScope();
    }

    /// <summary>The class the model finds least likely for each input.</summary>
    public static Tensor LeastLikely(Classifier model, Tensor x)
    {
        using var _ = no_grad();
        using var logits = model.Logits(x);
        return logits.argmin(1);
    }

    /// <summary>The same class for every sample.</summary>
    public static Tensor Fixed(int target, long n) => full(n, (long)target, ScalarType.Int64);
}
