namespace Advex.Cli.Options;

using System.CommandLine;
using System.Globalization;
using Advex.Text;
using Advex.Workflows;

/// <summary>The options of <c>advex text train</c> and how they make a <see cref="TextStudyJob"/>.</summary>
public sealed class TextFlags
{
    private readonly Option<string?> dataDir = new("--data-dir") { Description = "folder with sentences.tsv and glove-100d.txt.gz (default: the embedded data/sentiment)" };
    private readonly Option<string> adv = new("--adv") { Description = "adversarial training on the embedding: none, fgm or pgd", DefaultValueFactory = _ => "none" };
    private readonly Option<double> eps = new("--eps") { Description = "L2 radius of the embedding perturbation in training", DefaultValueFactory = _ => 1.0 };
    private readonly Option<double> alpha = new("--alpha") { Description = "PGD step length (L2) in training", DefaultValueFactory = _ => 0.3 };
    private readonly Option<int> advSteps = new("--adv-steps") { Description = "PGD steps in training", DefaultValueFactory = _ => 3 };
    private readonly Option<int> epochs = new("--epochs") { Description = "training epochs", DefaultValueFactory = _ => 8 };
    private readonly Option<int> batch = new("--batch-size") { Description = "batch size", DefaultValueFactory = _ => 50 };
    private readonly Option<double> lr = new("--lr") { Description = "Adam learning rate", DefaultValueFactory = _ => 1e-3 };
    private readonly Option<string> attackEps = new("--attack-eps") { Description = "comma list of L2 radii per sentence of the evaluation PGD on the embedded sequence (robust_accuracy is at the largest)", DefaultValueFactory = _ => "0.25,0.5,1" };
    private readonly Option<int> attackSteps = new("--attack-steps") { Description = "steps of the evaluation PGD", DefaultValueFactory = _ => 10 };
    private readonly Option<int> threads = new("--threads") { Description = "CPU threads for libtorch (the model is small: 1 is usually fastest, and kind to a shared machine)", DefaultValueFactory = _ => 1 };
    private readonly Option<int> seed = Opts.Seed();
    private readonly Option<string?> seeds = new("--seeds") { Description = "comma list of seeds: train once per seed and report mean ± sd" };
    private readonly Option<string> outDir = new("--out") { Description = "output folder; one that already holds a text run (training.json, seed-N/) is refused", DefaultValueFactory = _ => "runs/text" };
    private readonly Option<string?> json = Opts.Json();
    private readonly Option<bool> quiet = Opts.Quiet();

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[]
                 {
                     dataDir, adv, eps, alpha, advSteps, epochs, batch, lr, attackEps, attackSteps, threads, seed, seeds, outDir, json, quiet,
                 })
            cmd.Options.Add(o);
    }

    public TextStudyJob Job(ParseResult p) => new TextStudyJob
    {
        DataDir = p.GetValue(dataDir),
        Options = new TextTrainOptions
        {
            Adv = p.GetValue(adv)!,
            Eps = p.GetValue(eps),
            Alpha = p.GetValue(alpha),
            AdvSteps = p.GetValue(advSteps),
            Epochs = p.GetValue(epochs),
            BatchSize = p.GetValue(batch),
            Lr = p.GetValue(lr),
            AttackEps = Opts.ParseList(p.GetValue(attackEps)!, "--attack-eps").Distinct().Order().ToArray(),
            AttackSteps = p.GetValue(attackSteps),
            Seed = p.GetValue(seed),
        },
        Seeds = p.GetValue(seeds) is { } s ? ParseSeeds(s) : null,
        Threads = p.GetValue(threads),
        OutDir = p.GetValue(outDir)!,
        Json = p.GetValue(json),
    }.Validate();

    /// <summary>A comma list of integers; the job checks that it is not empty and repeats none.</summary>
    public static int[] ParseSeeds(string s) =>
        s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(x => int.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw new AdvexException($"--seeds: '{x}' is not an integer")).ToArray();
}
