namespace Advex.Cli.Options;

using System.CommandLine;
using Advex.Attacks;
using Advex.Workflows;

/// <summary>The options of <c>advex optimizers</c> and how they make an <see cref="OptimizerComparisonJob"/>.</summary>
public sealed class OptimizersFlags
{
    public ModelDataOptions Source { get; } = new(defaultLimit: 16);
    private readonly Option<int?> target = new("--target") { Description = "target class index (the classifier attack)" };
    private readonly Option<int?> guide = new("--guide")
    {
        Description = "feature-space attack instead (Sabour et al. 2016): move sample --source's features onto this sample's; " +
                      "--model is then a feature network (ONNX, e.g. ML.NET's ImageNet ResNet-18)",
    };
    private readonly Option<int> source = new("--source") { Description = "the sample the feature-space attack perturbs", DefaultValueFactory = _ => 0 };
    private readonly Option<string> optimizers = new("--optimizers") { Description = "comma list of sgd, rmsprop, adam", DefaultValueFactory = _ => "sgd,rmsprop,adam" };
    private readonly Option<int> steps = new("--steps") { Description = "optimizer steps", DefaultValueFactory = _ => 100 };
    private readonly Option<double> lr = new("--lr") { Description = "learning rate (the same for every optimizer)", DefaultValueFactory = _ => 0.01 };
    private readonly Option<double?> eps = new("--eps") { Description = "perturbation budget; default none (unbounded, box only), 10/255 with --guide" };
    private readonly Option<string> norm = new("--norm") { Description = "norm of the --eps ball: linf or l2", DefaultValueFactory = _ => "linf" };
    private readonly Option<string?> outDir = new("--out") { Description = $"folder for {OptimizerComparisonWorkflow.LossFigure} and {OptimizerComparisonWorkflow.ProbabilityFigure}" };
    private readonly Option<string?> json = Opts.Json();
    private readonly Option<string> batch = Opts.BatchSize();
    private readonly Option<string?> maxMemory = Opts.MaxMemory();
    private readonly Option<int> seed = Opts.Seed();
    private readonly Option<bool> quiet = Opts.Quiet();

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[] { target, guide, source, optimizers, steps, lr, eps, norm, outDir, json, batch, maxMemory, seed, quiet }) cmd.Options.Add(o);
        Source.AddTo(cmd);
    }

    /// <summary>The feature-space job when --guide is given, else null.</summary>
    public FeatureComparisonJob? FeatureJob(ParseResult p)
    {
        if (p.GetValue(guide) is not { } g) return null;
        if (p.GetValue(target) is not null) throw new AdvexException("--target and --guide exclude each other (a class target or a guide image's features)");
        if (NormNames.Parse(p.GetValue(norm)!) != Norm.Linf) throw new AdvexException("--guide: the feature-space attack's ball is L∞ (--norm linf)");
        var job = new FeatureComparisonJob
        {
            Guide = g, Source = p.GetValue(source),
            Optimizers = ParseOptimizers(p), Steps = p.GetValue(steps), Lr = p.GetValue(lr),
            Eps = p.GetValue(eps) ?? 10 / 255.0, OutDir = p.GetValue(outDir), Json = p.GetValue(json),
        };
        job.Attacks();
        return job;
    }

    private OptimizerKind[] ParseOptimizers(ParseResult p) =>
        p.GetValue(optimizers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(OptimizerKinds.Parse).ToArray();

    /// <summary>The job, its attacks already built (so every setting is checked before anything is loaded).</summary>
    public OptimizerComparisonJob Job(ParseResult p)
    {
        var job = new OptimizerComparisonJob
        {
            Target = p.GetValue(target) ?? throw new AdvexException("optimizers needs --target (a class) or --guide (a sample whose features to reach)"),
            Optimizers = ParseOptimizers(p),
            Steps = p.GetValue(steps), Lr = p.GetValue(lr), Eps = p.GetValue(eps) ?? double.PositiveInfinity,
            Norm = NormNames.Parse(p.GetValue(norm)!), OutDir = p.GetValue(outDir), Json = p.GetValue(json), Seed = p.GetValue(seed),
            BatchSize = Opts.ParseBatchSize(p.GetValue(batch)!), MaxMemory = Opts.ParseMaxMemory(p.GetValue(maxMemory)),
        };
        job.Attacks();
        return job;
    }
}
