namespace Advex.Workflows;

using Advex.Text;
using Advex.Validation;

/// <summary>
/// What <see cref="TextStudyWorkflow"/> does (step 002 of the original notes): train the sentiment <see cref="TextCnn"/> once per seed and
/// write each run's curves and <c>training.json</c>, with the means ± sd over the seeds, into <see cref="OutDir"/>.
/// </summary>
public sealed record TextStudyJob
{
    /// <summary>Folder with <c>sentences.tsv</c> and <c>glove-100d.txt.gz</c> (null: the embedded data/sentiment).</summary>
    public string? DataDir { get; init; }

    public TextTrainOptions Options { get; init; } = new();

    /// <summary>One run per seed, each in <c>seed-&lt;s&gt;</c> (null: one run with <c>Options.Seed</c>, in <see cref="OutDir"/>).</summary>
    public IReadOnlyList<int>? Seeds { get; init; }

    /// <summary>CPU threads for libtorch during the job (the model is small: 1 is usually fastest).</summary>
    public int Threads { get; init; } = 1;

    public required string OutDir { get; init; }

    /// <summary>Also write the summary to this file.</summary>
    public string? Json { get; init; }

    public TextStudyJob Validate()
    {
        Options.Validate();
        Check.AtLeast(Threads, 1, "threads");
        if (Seeds is { Count: 0 }) throw AdvexException.About("seeds: empty list", "seeds");
        if (Seeds != null && Seeds.Distinct().Count() != Seeds.Count)
            throw AdvexException.About($"seeds: '{string.Join(",", Seeds)}' repeats a seed", "seeds");
        return this;
    }
}
