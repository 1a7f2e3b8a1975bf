namespace Advex.Cli.Options;

using System.CommandLine;
using Advex.Generative;
using Advex.Models;
using Advex.Workflows;

/// <summary>The options of <c>advex advgan train</c>, how they make an <see cref="AdvGanJob"/> and load its target.</summary>
public sealed class AdvGanFlags
{
    private static readonly AdvGanOptions D = new();
    private readonly Option<string> target = new("--target") { Description = "the model to attack: TorchScript .pt, native model.json or a train output folder", Required = true };
    private readonly Option<string> data = Opts.Data();
    private readonly Option<string?> dataDir = Opts.DataDir();
    private readonly DataTransformFlags transforms = new();
    private readonly Option<int?> limit = Opts.Limit();
    private readonly Option<int> epochs = new("--epochs") { Description = "training epochs", DefaultValueFactory = _ => D.Epochs };
    private readonly Option<double> eps = new("--eps") { Description = "L∞ budget: δ is clamped to ±eps", DefaultValueFactory = _ => D.Eps };
    private readonly Option<double> advLambda = new("--adv-lambda") { Description = "weight of the C&W margin", DefaultValueFactory = _ => D.AdvLambda };
    private readonly Option<double> pertLambda = new("--pert-lambda") { Description = "weight of the perturbation L2 loss", DefaultValueFactory = _ => D.PertLambda };
    private readonly Option<double?> c = new("--c") { Description = "hinge bound: penalise only max(0, ‖δ‖₂ − c) (default: plain mean ‖δ‖₂)" };
    private readonly Option<string> margin = new("--margin") { Description = "C&W margin on probs (step 000 of the original notes) or logits", DefaultValueFactory = _ => "probs" };
    private readonly Option<int?> targetClass = new("--target-class") { Description = "train a targeted generator for this one class (default untargeted)" };
    private readonly Option<int> batch = new("--batch-size") { Description = "batch size", DefaultValueFactory = _ => D.BatchSize };
    private readonly Option<double> lr = new("--lr") { Description = "Adam learning rate of G and D", DefaultValueFactory = _ => D.Lr };
    private readonly Option<int> seed = Opts.Seed();
    private readonly Option<string> outDir = new("--out") { Description = "output folder; one that already holds an AdvGAN run is refused unless --resume continues it", DefaultValueFactory = _ => "runs/advgan" };
    private readonly Option<bool> resume = new("--resume") { Description = "continue from the checkpoint in --out" };
    private readonly Option<string?> mean = Opts.Mean();
    private readonly Option<string?> std = Opts.Std();
    private readonly Option<string> shape = new("--input-shape")
    {
        Description = "C,H,W of one input of the target when its file records none (default: 1,28,28)",
    };
    private readonly Option<string?> json = Opts.Json();
    private readonly Option<bool> quiet = Opts.Quiet();

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[]
                 {
                     target, data, dataDir, limit, epochs, eps, advLambda, pertLambda, c, margin, targetClass, batch, lr, seed,
                     outDir, resume, mean, std, shape, json, quiet,
                 }.Concat(transforms.All))
            cmd.Options.Add(o);
    }

    public AdvGanJob Job(ParseResult p) => new AdvGanJob
    {
        Target = p.GetValue(target)!, Data = p.GetValue(data)!, DataDir = p.GetValue(dataDir), DataOptions = transforms.Read(p), Limit = p.GetValue(limit),
        Options = new AdvGanOptions
        {
            Eps = p.GetValue(eps), AdvLambda = p.GetValue(advLambda), PertLambda = p.GetValue(pertLambda),
            HingeBound = p.GetValue(c), Margin = MarginSpaces.Parse(p.GetValue(margin)!),
            TargetClass = p.GetValue(targetClass), Epochs = p.GetValue(epochs), BatchSize = p.GetValue(batch),
            Lr = p.GetValue(lr), Seed = p.GetValue(seed),
        },
        OutDir = p.GetValue(outDir)!, Resume = p.GetValue(resume), Json = p.GetValue(json),
    }.Validate();

    public Classifier LoadTarget(ParseResult p) =>
        ModelStore.Load(p.GetValue(target)!, Opts.ParseNormalization(p.GetValue(mean), p.GetValue(std)), Opts.ParseShape(p.GetValue(shape) ?? TargetShape));

    /// <summary>The target's input shape when neither its file nor --input-shape gives one (AdvGAN's data is
    /// MNIST-sized).</summary>
    private const string TargetShape = "1,28,28";
}
