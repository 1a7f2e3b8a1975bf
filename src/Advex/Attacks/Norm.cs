namespace Advex.Attacks;

/// <summary>The threat model's norm.</summary>
public enum Norm
{
    Linf,
    L2,
}

public static class NormNames
{
    public static string Name(this Norm norm) => norm == Norm.Linf ? "linf" : "l2";

    public static Norm Parse(string s) => s.ToLowerInvariant() switch
    {
        "linf" or "inf" or "l-inf" => Norm.Linf,
        "l2" or "2" => Norm.L2,
        _ => throw new AdvexException($"unknown norm '{s}' (expected linf or l2)"),
    };
}
