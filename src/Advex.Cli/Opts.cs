namespace Advex.Cli;

using System.CommandLine;
using System.Globalization;
using Advex.Data;
using Advex.Models;

/// <summary>Options shared by several commands, and the parsing of list-valued options.</summary>
public static class Opts
{
    public static Option<string> Data() => new("--data")
    {
        Description = $"dataset: {DataSpecRegistry.Help}", DefaultValueFactory = _ => "mnist",
    };

    public static Option<string?> DataDir() => new("--data-dir") { Description = "folder holding the dataset's IDX files" };

    public static Option<string> Split(string @default) => new("--split")
    {
        Description = "train or test", DefaultValueFactory = _ => @default,
    };

    public static Option<int> Seed() => new("--seed") { Description = "random seed", DefaultValueFactory = _ => 0 };

    public static Option<int?> Limit() => new("--limit") { Description = "use only the first N samples, in file order" };

    public static Option<string> BatchSize() => new("--batch-size")
    {
        Description = "samples per batch, or auto: the fastest per sample (timed) of the batches whose peak memory fits --max-memory (results do not depend on it)",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<string?> MaxMemory() => new("--max-memory")
    {
        Description = "the peak memory the run may use, e.g. 4G or 512M (default: half of what the system and its cgroup can still " +
                      "give); a larger batch shrinks, and a run where one sample does not fit is refused",
    };

    /// <summary>A batch size, or null for auto.</summary>
    public static int? ParseBatchSize(string s) =>
        s.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase) ? null
        : int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var b) && b >= 1 ? b
        : throw new AdvexException($"--batch-size must be a positive whole number or auto (got '{s}')");

    public static long? ParseMaxMemory(string? s) => s is null ? null : Evaluation.MemorySize.Parse(s, "max-memory");

    public static Option<string?> Json() => new("--json") { Description = "write the results as JSON to this file" };

    public static Option<bool> Quiet() => new("--quiet") { Description = "no progress bars" };

    public static Option<string?> Mean() => new("--mean") { Description = "per-channel mean the model expects (comma list)" };

    public static Option<string?> Std() => new("--std") { Description = "per-channel std the model expects (comma list)" };

    public static Option<string> InputShape() => new("--input-shape")
    {
        Description = "C,H,W of one input for models whose file records none (default: the data's shape)",
    };

    public static Option<int?> Resize() => new("--resize") { Description = "images: resize the shorter side to N (torchvision Resize, bilinear, antialiased)" };

    public static Option<int?> CenterCrop() => new("--center-crop") { Description = "images: crop the centre N×N (torchvision CenterCrop)" };

    public static Option<bool> Grayscale() => new("--grayscale") { Description = "images: one luma channel (PIL convert('L'))" };

    public static Option<string?> Label() => new("--label") { Description = "cifar100: fine (100 classes, default) or coarse (20)" };

    public static DataOptions ReadDataOptions(ParseResult p, Option<int?> resize, Option<int?> centerCrop, Option<bool> grayscale,
        Option<string?> label) =>
        new() { Resize = p.GetValue(resize), CenterCrop = p.GetValue(centerCrop), Grayscale = p.GetValue(grayscale), Label = p.GetValue(label) };

    /// <summary>Refuses the options among <paramref name="options"/> given on the command line (a default does not
    /// count): they do not apply to <paramref name="mode"/> and would be silently ignored.</summary>
    public static void RefuseGiven(ParseResult p, string mode, params Option[] options)
    {
        var given = options.Where(o => p.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count > 0)
            throw new AdvexException($"{string.Join(", ", given)} {(given.Count == 1 ? "does" : "do")} not apply to {mode}");
    }

    public static double ParseDouble(string s, string option) =>
        double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
            ? v
            : throw new AdvexException($"{option}: '{s}' is not a number");

    /// <summary>A comma list of numbers in the invariant culture ('.' for decimals); an empty item is an error.</summary>
    public static double[] ParseList(string s, string option)
    {
        var items = s.Split(',', StringSplitOptions.TrimEntries);
        if (items.Any(i => i.Length == 0))
            throw new AdvexException(s.Trim().Length == 0 ? $"{option}: empty list" : $"{option}: empty item in '{s}'");
        return items.Select(p => ParseDouble(p, option)).ToArray();
    }

    /// <summary>Parses --eps: a comma list of non-negative numbers.</summary>
    public static double[] ParseEps(string s)
    {
        var eps = ParseList(s, "--eps");
        foreach (var e in eps)
            if (e < 0) throw new AdvexException($"--eps: {e.ToString(CultureInfo.InvariantCulture)} is negative (ε must be >= 0)");
        return eps;
    }

    public static Normalization? ParseNormalization(string? mean, string? std)
    {
        if (mean is null && std is null) return null;
        if (mean is null || std is null) throw new AdvexException("--mean and --std go together");
        return new Normalization(ParseList(mean, "--mean"), ParseList(std, "--std"));
    }

    public static long[] ParseShape(string s)
    {
        var parts = s.Split(',');
        if (parts.Length != 3 || parts.Any(p => !long.TryParse(p, out var v) || v <= 0))
            throw new AdvexException($"--input-shape: '{s}' is not C,H,W");
        return parts.Select(long.Parse).ToArray();
    }

    public static Dataset LoadData(string spec, string split, string? dataDir, int? limit, int? classes = null,
        DataOptions? options = null) =>
        DataSource.Load(spec, split, dataDir, classes, limit, options ?? DataOptions.None);
}
