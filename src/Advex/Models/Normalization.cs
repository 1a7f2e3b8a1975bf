namespace Advex.Models;

/// <summary>Per-channel mean/std applied inside the classifier, so attacks work in pixel space.</summary>
public sealed record Normalization
{
    public Normalization(double[] mean, double[] std)
    {
        if (mean.Length == 0 || mean.Length != std.Length)
            throw new AdvexException($"normalization needs as many means as stds (got {mean.Length} and {std.Length})");
        if (std.Any(s => !(s > 0))) throw new AdvexException("normalization std must be positive");
        Mean = mean;
        Std = std;
    }

    public double[] Mean { get; }
    public double[] Std { get; }
}
