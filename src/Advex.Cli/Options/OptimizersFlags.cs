namespace Advex.Cli.Options;

using System.CommandLine;
using Advex.Attacks;
using Advex.Workflows;

/// <summary>The options of <c>advex optimizers</c> and how they make an <see cref="OptimizerComparisonJob"/>.</summary>
public sealed class OptimizersFlags
{
    public ModelDataOptions Source { get; } = new(defaultLimit: 16);
    private readonly Option<int> target = new("--target") { Description = "target class index", Required = true };
    private readonly Option<string> optimizers = new("--optimizers") { Description = "comma list of sgd, rmsprop, adam", DefaultValueFactory = _ => "sgd,rmsprop,adam" };
    private readonly Option<int> steps = new("--steps") { Description = "optimizer steps", DefaultValueFactory = _ => 100 };
    private readonly Option<double> lr = new("--lr") { Description = "learning rate (the same for every optimizer)", DefaultValueFactory = _ => 0.01 };
    private readonly Option<double?> eps = new("--eps") { Description = "perturbation budget; default none (unbounded, box only)" };
    private readonly Option<string> norm = new("--norm") { Description = "norm of the --eps ball: linf or l2", DefaultValueFactory = _ => "linf" };
    private readonly Option<string?> outDir = new("--out") { Description = $"folder for {OptimizerComparisonWorkflow.LossFigure} and {OptimizerComparisonWorkflow.ProbabilityFigure}" };
    private readonly Option<string?> json = Opts.Json();
    private readonly Option<int> seed = Opts.Seed();
    private readonly Option<bool> quiet = Opts.Quiet();

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[] { target, optimizers, steps, lr, eps, norm, outDir, json, seed, quiet }) cmd.Options.Add(o);
        Source.AddTo(cmd);
    }

    /// <summary>The job, its attacks already built (so every setting is checked before anything is loaded).</summary>
    public OptimizerComparisonJob Job(ParseResult p)
    {
        var job = new OptimizerComparisonJob
        {
            Target = p.GetValue(target),
            Optimizers = p.GetValue(optimizers)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(OptimizerKinds.Parse).ToArray(),
            Steps = p.GetValue(steps), Lr = p.GetValue(lr), Eps = p.GetValue(eps) ?? double.PositiveInfinity,
            Norm = NormNames.Parse(p.GetValue(norm)!), OutDir = p.GetValue(outDir), Json = p.GetValue(json), Seed = p.GetValue(seed),
        };
        job.Attacks();
        return job;
    }
}
