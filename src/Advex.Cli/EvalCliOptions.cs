namespace Advex.Cli;

using System.CommandLine;
using System.CommandLine.Parsing;
using Advex.Evaluation;

/// <summary>The options of <c>advex eval</c> beyond model, data and attack options (DESIGN §8).</summary>
public sealed class EvalCliOptions
{
    public Option<string> Attack { get; } = new("--attack") { Description = $"attack name(s), comma-separated: {string.Join(" ", Attacks.AttackRegistry.Names)}", DefaultValueFactory = _ => "fgsm" };
    public Option<string> Eps { get; } = new("--eps") { Description = "comma list of ε", DefaultValueFactory = _ => "0.3" };
    public Option<string?> Targeted { get; } = new("--targeted") { Description = "random, least-likely or a class index" };
    public Option<string?> Json { get; } = Opts.Json();
    public Option<string?> Report { get; } = new("--report") { Description = "folder for plots and example grids" };
    public Option<string> Batch { get; } = Opts.BatchSize();
    public Option<string?> MaxMemory { get; } = Opts.MaxMemory();
    public Option<int> Seed { get; } = Opts.Seed();
    public Option<bool> Quiet { get; } = Opts.Quiet();
    public Option<bool> Cascade { get; } = new("--cascade") { Description = "run each attack only on the samples still robust after the previous ones (per ε), reporting robust accuracy after each stage" };
    public Option<bool> EarlyStop { get; } = new("--early-stop") { Description = "iterative attacks stop per sample at the first adversarial iterate" };
    public Option<string?> Out { get; } = new("--out") { Description = "evaluation folder: run.json, samples.jsonl (per-sample records, appended per batch), eval.json" };
    public Option<bool> Resume { get; } = new("--resume") { Description = "continue the evaluation in --out from its records" };
    public Option<string?> Shard { get; } = new("--shard") { Description = "K/N (0-based): evaluate the samples with index mod N = K; auto: from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT or JOB_COMPLETION_INDEX/ADVEX_SHARDS" };
    public Option<int?> Workers { get; } = new("--workers") { Description = "run N one-thread shard processes (at most one per sample and per core; they end with this process) and merge them into --out" };

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[] { Attack, Eps, Targeted, Json, Report, Batch, MaxMemory, Seed, Quiet, Cascade, EarlyStop, Out, Resume, Shard, Workers })
            cmd.Options.Add(o);
    }

    /// <summary>The evaluation options; checks the combinations of output, resume, shard and workers.</summary>
    public EvalOptions Read(ParseResult p, int classes, double[] eps, string command)
    {
        if (p.GetValue(Resume) && p.GetValue(Out) is null) throw new AdvexException("--resume needs --out (the folder to continue)");
        if (p.GetValue(Workers) is { } w)
        {
            if (w < 1) throw new AdvexException($"--workers must be at least 1 (got {w})");
            if (p.GetValue(Out) is null) throw new AdvexException("--workers needs --out (the folder the shards are merged into)");
            if (p.GetValue(Shard) is not null) throw new AdvexException("--workers and --shard exclude each other (the workers are the shards)");
        }
        return new EvalOptions
        {
            BatchSize = Opts.ParseBatchSize(p.GetValue(Batch)!),
            MaxMemory = Opts.ParseMaxMemory(p.GetValue(MaxMemory)),
            Seed = p.GetValue(Seed),
            Target = TargetMode.Parse(p.GetValue(Targeted), classes),
            Eps = eps,
            Command = command,
            Cascade = p.GetValue(Cascade),
            EarlyStop = p.GetValue(EarlyStop),
            Shard = p.GetValue(Shard) is { } s ? Evaluation.Shard.Parse(s) : Evaluation.Shard.All,
        };
    }
}
