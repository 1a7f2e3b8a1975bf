namespace Advex.Attacks;

/// <summary>The threat model's norm.</summary>
public enum Norm
{
    Linf,
    L2,

    /// <summary>Sum of absolute values; only minimum-norm attacks that say so (FAB) support it.</summary>
    L1,
}

public static class NormNames
{
    public static string Name(this Norm norm) => norm switch { Norm.Linf => "linf", Norm.L2 => "l2", _ => "l1" };

    public static Norm Parse(string s) => s.ToLowerInvariant() switch
    {
        "linf" or "inf" or "l-inf" => Norm.Linf,
        "l2" or "2" => Norm.L2,
        "l1" or "1" => Norm.L1,
        _ => throw new AdvexException($"unknown norm '{s}' (expected linf, l2 or l1)"),
    };
}
