namespace Advex.Cli.Options;

using System.CommandLine;
using Advex.Generative;
using Advex.Workflows;

/// <summary>The options of <c>advex gan train</c> and how they make a <see cref="GanJob"/>.</summary>
public sealed class GanFlags
{
    private readonly Option<string> data = Opts.Data();
    private readonly Option<string?> dataDir = Opts.DataDir();
    private readonly DataTransformFlags transforms = new();
    private readonly Option<int> epochs = new("--epochs") { Description = "training epochs", DefaultValueFactory = _ => new GanOptions().Epochs };
    private readonly Option<int> batch = new("--batch-size") { Description = "batch size", DefaultValueFactory = _ => new GanOptions().BatchSize };
    private readonly Option<string> arch = new("--arch") { Description = "dcgan, fc (step 001's fully connected GAN) or dcgan-small (the demo's)", DefaultValueFactory = _ => new GanOptions().Architecture };
    private readonly Option<int> seed = Opts.Seed();
    private readonly Option<int?> limit = Opts.Limit();
    private readonly Option<string> outDir = new("--out") { Description = "output folder; one that already holds a GAN run is refused unless --resume continues it", DefaultValueFactory = _ => "runs/gan" };
    private readonly Option<bool> resume = new("--resume") { Description = "continue from the checkpoint in --out" };
    private readonly Option<string?> scorer = new("--scorer") { Description = "classifier for the Inception Score (default: a quick LeNet trained once and cached in --out/scorer)" };
    private readonly Option<int> scoreSamples = new("--score-samples") { Description = "generated samples scored per epoch (0: no score)", DefaultValueFactory = _ => new GanOptions().ScoreSamples };
    private readonly Option<string?> json = Opts.Json();
    private readonly Option<bool> quiet = Opts.Quiet();

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[] { data, dataDir, epochs, batch, arch, seed, limit, outDir, resume, scorer, scoreSamples, json, quiet }.Concat(transforms.All))
            cmd.Options.Add(o);
    }

    public GanJob Job(ParseResult p) => new GanJob
    {
        Data = p.GetValue(data)!, DataDir = p.GetValue(dataDir), DataOptions = transforms.Read(p), Limit = p.GetValue(limit),
        Options = new GanOptions
        {
            Architecture = p.GetValue(arch)!, Epochs = p.GetValue(epochs), BatchSize = p.GetValue(batch),
            Seed = p.GetValue(seed), ScoreSamples = p.GetValue(scoreSamples),
        },
        OutDir = p.GetValue(outDir)!, Resume = p.GetValue(resume), Scorer = p.GetValue(scorer), Json = p.GetValue(json),
    }.Validate();
}
