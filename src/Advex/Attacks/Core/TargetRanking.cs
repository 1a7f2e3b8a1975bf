namespace Advex.Attacks.Core;

/// <summary>How AutoAttack's targeted stages (APGD-T, FAB-T) choose and order their target classes.</summary>
public enum TargetRanking
{
    /// <summary>AutoAttack's rule (Croce &amp; Hein 2020): the classes ranked 2nd, 3rd, … by the clean logits.</summary>
    Top,

    /// <summary>MALT (Melamed, Yehudai &amp; Shamir 2024): the classes with the smallest linearised distance
    /// (<see cref="MaltTargets"/>).</summary>
    Malt,
}

public static class TargetRankingNames
{
    public static string Name(this TargetRanking ranking) => ranking == TargetRanking.Top ? "top" : "malt";

    public static TargetRanking Parse(string s) => s.ToLowerInvariant() switch
    {
        "top" => TargetRanking.Top,
        "malt" => TargetRanking.Malt,
        _ => throw AdvexException.About($"targets must be top or malt (got '{s}')", "targets"),
    };
}
