namespace Advex.Defenses;

/// <summary>
/// Every adversarial-training method by its <c>--adv</c> name. The registry drives <see cref="AdversarialTraining"/>'s
/// validation and defaults, <see cref="Hardening"/>'s batch loss and checkpoint state, the CLI help and the contract
/// suite (<c>TrainingMethodContractTests</c>). Adding a method is its file (the loss and a <c>Method</c> entry, like
/// <see cref="FgsmRs"/>) plus one line here.
/// </summary>
public static class TrainingMethodRegistry
{
    public static IReadOnlyList<TrainingMethod> All { get; } =
    [
        FgsmRs.Method,
        FgsmEp.Method,
        NFgsm.Method,
        PgdAt.Method,
        Trades.Method,
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(m => m.Name)];

    public static bool Exists(string name) => All.Any(m => m.Name == name);

    public static TrainingMethod Get(string name) =>
        All.FirstOrDefault(m => m.Name == name)
        ?? throw new AdvexException($"unknown adversarial training '{name}' (expected one of: {string.Join(", ", Names)})");

    /// <summary>"fgsm-rs, fgsm-ep and n-fgsm": the methods GradAlign applies to.</summary>
    public static string SingleStepNames => Listing.And(All.Where(m => m.SingleStep).Select(m => m.Name));

    /// <summary>"pgd and trades (10)": the methods that take a number of steps, with their default counts.</summary>
    public static string StepsHelp => string.Join("; ", All.Where(m => !m.SingleStep).GroupBy(m => m.DefaultSteps)
        .Select(g => $"{Listing.And(g.Select(m => m.Name))} ({g.Key})"));

    /// <summary>"fgsm-rs and fgsm-ep 1.25·ε, n-fgsm ε, …": each method's default step size, neighbours with the
    /// same rule grouped.</summary>
    public static string AlphaHelp
    {
        get
        {
            var groups = new List<(List<string> Names, string Rule)>();
            foreach (var m in All)
                if (groups.Count > 0 && groups[^1].Rule == m.AlphaRule) groups[^1].Names.Add(m.Name);
                else groups.Add(([m.Name], m.AlphaRule));
            return string.Join(", ", groups.Select(g => $"{Listing.And(g.Names)} {g.Rule}"));
        }
    }

    /// <summary>"fgsm-rs (…), fgsm-ep (…), …": every method with its description, for help text.</summary>
    public static string Help => Listing.Or(All.Select(m => $"{m.Name} ({m.Description})"));
}
