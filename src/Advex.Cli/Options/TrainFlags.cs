namespace Advex.Cli.Options;

using System.CommandLine;
using Advex.Defenses;
using Advex.Training;
using Advex.Workflows;

/// <summary>The options of <c>advex train</c> and how they make a <see cref="TrainJob"/>.</summary>
public sealed class TrainFlags
{
    private readonly Option<string> data = Opts.Data();
    private readonly Option<string?> dataDir = Opts.DataDir();
    private readonly DataTransformFlags transforms = new();
    private readonly Option<string> model = new("--model") { Description = Advex.Models.Architectures.Help, DefaultValueFactory = _ => "lenet" };
    private readonly Option<int> epochs = new("--epochs") { Description = "training epochs", DefaultValueFactory = _ => 5 };
    private readonly Option<int> batch = new("--batch-size") { Description = "batch size", DefaultValueFactory = _ => 64 };
    private readonly Option<string> optimizer = new("--optimizer") { Description = "adam or sgd", DefaultValueFactory = _ => "adam" };
    private readonly Option<double?> lr = new("--lr") { Description = "learning rate (adam 1e-3, sgd 1e-2)" };
    private readonly Option<double> momentum = new("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0.9 };
    private readonly Option<bool> nesterov = new("--nesterov") { Description = "Nesterov momentum (SGD)" };
    private readonly Option<double> weightDecay = new("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => 0 };
    private readonly Option<bool> plateau = new("--plateau") { Description = "halve the lr when the test loss stalls for 5 epochs" };
    private readonly Option<int> seed = Opts.Seed();
    private readonly Option<int?> limit = Opts.Limit();
    private readonly Option<string> outDir = new("--out") { Description = "output folder; one that already holds a trained model is refused unless --resume continues it", DefaultValueFactory = _ => "runs/train" };
    private readonly Option<bool> resume = new("--resume") { Description = "continue from the checkpoint in --out" };
    private readonly Option<string?> mean = Opts.Mean();
    private readonly Option<string?> std = Opts.Std();
    private readonly Option<string?> json = Opts.Json();
    private readonly Option<bool> quiet = Opts.Quiet();
    private readonly Option<string> schedule = new("--lr-schedule")
    {
        Description = "constant or one-cycle (Wong et al.: 0 → lr at 2/5 of training → 0)", DefaultValueFactory = _ => "constant",
    };
    private readonly Option<string?> adv = new("--adv") { Description = $"adversarial training: {TrainingMethodRegistry.Help}" };
    private readonly Option<double?> eps = new("--eps") { Description = "L∞ budget of adversarial training (pixels in [0,1])" };
    private readonly Option<double?> alpha = new("--alpha") { Description = $"attack step size ({TrainingMethodRegistry.AlphaHelp})" };
    private readonly Option<int?> advSteps = new("--adv-steps", "--steps") { Description = $"attack steps K of {TrainingMethodRegistry.StepsHelp}" };
    private readonly Option<double> beta = new("--beta") { Description = "TRADES β", DefaultValueFactory = _ => 6 };
    private readonly Option<double?> noise = new("--noise")
    {
        Description = "without --adv: Gaussian data augmentation σ (x + N(0, σ²), the base classifier of certify); " +
                      "with --adv n-fgsm: the noise magnitude k (η ~ U(−k·ε, k·ε), default 2)",
    };
    private readonly Option<double> gradAlign = new("--grad-align")
    {
        Description = $"GradAlign weight λ for {TrainingMethodRegistry.SingleStepNames} (Andriushchenko & Flammarion 2020; 0 = off)",
        DefaultValueFactory = _ => 0,
    };
    private readonly Option<bool> earlyStopping = new("--early-stopping")
    {
        Description = "keep the epoch with the best held-out PGD accuracy; stop when it collapses (true|false)",
        DefaultValueFactory = _ => true,
    };
    private readonly Option<int> heldout = new("--heldout")
    {
        Description = "training images held out for per-epoch clean/PGD accuracy", DefaultValueFactory = _ => 1000,
    };
    private readonly Option<int> heldoutSteps = new("--heldout-steps")
    {
        Description = "PGD steps of the held-out robust accuracy (α = ε/4)", DefaultValueFactory = _ => 10,
    };
    private readonly Option<int?> classes = new("--classes")
    {
        Description = "number of classes, required for data that does not name its classes (idx:); labels must be below it",
    };

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[]
                 {
                     data, dataDir, model, epochs, batch, optimizer, lr, momentum, nesterov, weightDecay, plateau, seed, limit,
                     outDir, resume, mean, std, json, quiet, schedule, adv, eps, alpha, advSteps, beta, earlyStopping, heldout,
                     heldoutSteps, noise, gradAlign, classes,
                 }.Concat(transforms.All))
            cmd.Options.Add(o);
    }

    /// <summary>The validated job; the flags that only go together are checked here, by their names.</summary>
    public TrainJob Job(ParseResult p)
    {
        var options = new TrainOptions
        {
            Architecture = p.GetValue(model)!,
            Epochs = p.GetValue(epochs),
            BatchSize = p.GetValue(batch),
            Optimizer = p.GetValue(optimizer)!,
            Lr = p.GetValue(lr) ?? (p.GetValue(optimizer) == "sgd" ? 1e-2 : 1e-3),
            Momentum = p.GetValue(momentum),
            Nesterov = p.GetValue(nesterov),
            WeightDecay = p.GetValue(weightDecay),
            Plateau = p.GetValue(plateau),
            LrSchedule = p.GetValue(schedule)!,
            Seed = p.GetValue(seed),
            Normalization = Opts.ParseNormalization(p.GetValue(mean), p.GetValue(std)),
            NoiseSigma = p.GetValue(adv) is null ? p.GetValue(noise) ?? 0 : 0,
        }.Validate();
        if (p.GetValue(adv) is { } a && a != "n-fgsm" && p.GetValue(noise) is not null)
            throw new AdvexException("--noise with --adv is N-FGSM's k (--adv n-fgsm); Gaussian data augmentation (--noise σ) is for training without --adv");
        AdversarialTraining? hardening = null;
        if (p.GetValue(adv) is { } method)
            hardening = new AdversarialTraining(method,
                p.GetValue(eps) ?? throw new AdvexException("--adv needs --eps"), p.GetValue(alpha),
                p.GetValue(advSteps), p.GetValue(beta), p.GetValue(earlyStopping), p.GetValue(heldout),
                p.GetValue(heldoutSteps), noise: p.GetValue(noise) ?? 2,
                gradAlign: p.GetValue(gradAlign));
        else if (p.GetValue(eps) is not null)
            throw new AdvexException("--eps needs --adv fgsm-rs|fgsm-ep|n-fgsm|pgd|trades");
        else if (p.GetResult(heldout) is { Implicit: false })
            throw new AdvexException("--heldout applies to adversarial training (--adv)");
        return new TrainJob
        {
            Data = p.GetValue(data)!, DataDir = p.GetValue(dataDir), DataOptions = transforms.Read(p), Limit = p.GetValue(limit),
            Classes = p.GetValue(classes), Options = options, Adversarial = hardening, OutDir = p.GetValue(outDir)!,
            Resume = p.GetValue(resume), Json = p.GetValue(json),
        };
    }
}
