namespace Advex.Attacks;

/// <summary>The threat model's norm.</summary>
public enum Norm
{
    Linf,
    L2,

    /// <summary>Sum of absolute values; only the attacks that say so (FAB, FMN, EAD) support it.</summary>
    L1,

    /// <summary>Number of changed coordinates; only FMN supports it.</summary>
    L0,
}

public static class NormNames
{
    public static string Name(this Norm norm) => norm switch
    {
        Norm.Linf => "linf", Norm.L2 => "l2", Norm.L1 => "l1", Norm.L0 => "l0",
        _ => throw new ArgumentOutOfRangeException(nameof(norm)),
    };

    public static Norm Parse(string s) => s.ToLowerInvariant() switch
    {
        "linf" or "inf" or "l-inf" => Norm.Linf,
        "l2" or "2" => Norm.L2,
        "l1" or "1" => Norm.L1,
        "l0" or "0" => Norm.L0,
        _ => throw new AdvexException($"unknown norm '{s}' (expected linf, l2, l1 or l0)"),
    };
}
