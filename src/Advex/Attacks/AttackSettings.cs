namespace Advex.Attacks;

using System.Text.RegularExpressions;

/// <summary>
/// The attack options a user can set by name (DESIGN §8); null means "the paper's default". Each attack reads the
/// ones that apply to it.
/// </summary>
public sealed record AttackSettings
{
    public Norm? Norm { get; init; }
    public int? Steps { get; init; }
    public double? StepSize { get; init; }
    public bool? RandomStart { get; init; }
    public int? Restarts { get; init; }
    public double? Momentum { get; init; }
    public double? C { get; init; }
    public double? Kappa { get; init; }
    public int? BinarySearchSteps { get; init; }
    public double? Lr { get; init; }
    public string? Optimizer { get; init; }
    public double? Overshoot { get; init; }
    public string? Generator { get; init; }
    /// <summary>A saved universal perturbation (<c>.npy</c>) for the <c>universal</c> attack.</summary>
    public string? Perturbation { get; init; }
    /// <summary>Query budget of the black-box attacks (Square, HopSkipJump).</summary>
    public int? Queries { get; init; }
    /// <summary>EAD's L1 weight β.</summary>
    public double? Beta { get; init; }
    /// <summary>Expectation over transformation: draws of a randomized model each gradient averages over.</summary>
    public int? Eot { get; init; }
    /// <summary>How APGD-T and FAB-T choose their targets (AutoAttack's top logits or MALT).</summary>
    public Core.TargetRanking? Targets { get; init; }
    /// <summary>AutoAttack's version (standard, apgd, fast, rand).</summary>
    public AutoAttackVersion? Version { get; init; }

    /// <summary>The parameter name of a property, in kebab-case (<c>StepSize</c> → <c>step-size</c>).</summary>
    public static string ParameterName(string property) => Regex.Replace(property, "(?<=[a-z])(?=[A-Z])", "-").ToLowerInvariant();

    /// <summary>The parameter names of the settings given (not null).</summary>
    public IReadOnlyList<string> Given() =>
        typeof(AttackSettings).GetProperties().Where(p => p.GetValue(this) is not null).Select(p => ParameterName(p.Name)).ToList();

    /// <summary>Refuses a setting that none of <paramref name="attacks"/> reads (<paramref name="read"/>: the parameter
    /// names their factories read), naming it, the attacks and what they do take.</summary>
    /// <param name="alsoGiven">parameters given outside these settings that the caller's attacks may read (e.g.
    /// universal DeepFool's fooling-target).</param>
    public void RequireUsed(IReadOnlyCollection<string> attacks, IReadOnlyList<string> read, IEnumerable<string>? alsoGiven = null)
    {
        var unused = Given().Concat(alsoGiven ?? []).Where(g => !read.Contains(g)).ToList();
        if (unused.Count == 0) return;
        // eot is taken by every gradient attack and refused by the others when they run: not listed as a setting they take
        var takes = read.Where(r => r != "eot").ToList();
        var who = string.Join(" or ", attacks.Distinct());
        throw AdvexException.About(
            $"{string.Join(", ", unused)} {(unused.Count == 1 ? "does" : "do")} not apply to {who}, which " +
            (takes.Count == 0 ? "takes no attack option" : $"{(attacks.Distinct().Count() == 1 ? "takes" : "take")} {string.Join(", ", takes)}"),
            [.. unused, .. takes]);
    }
}
