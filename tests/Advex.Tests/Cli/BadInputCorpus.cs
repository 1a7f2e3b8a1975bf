namespace Advex.Tests.Cli;

using Advex.Tests.Support;

/// <summary>
/// One line of <c>BadInputCorpus.txt</c>: <c>id | setup | exit code | message fragment | command line</c>.
/// The setup says how the case's folder is prepared (see <see cref="BadInputSetup"/>); in the command line,
/// <c>{dir}</c> is that folder, <c>{lenet}</c> the TorchScript LeNet fixture, <c>{idx}</c> the small IDX fixture,
/// <c>{cnn_pt}</c> the RGB CNN as TorchScript, <c>{cifar10}</c>, <c>{cifar_png}</c> and <c>{photos}</c> the RGB data fixtures,
/// and <c>''</c> an empty argument.
/// </summary>
public sealed record BadInputCase(string Id, string Setup, int Exit, string Fragment, string[] Args)
{
    public override string ToString() => Id;
}

public static class BadInputCorpus
{
    private static readonly Lazy<List<BadInputCase>> All = new(Read);

    public static IReadOnlyList<BadInputCase> Load() => All.Value;

    private static List<BadInputCase> Read()
    {
        var path = Path.Combine(Paths.Root, "tests", "Advex.Tests", "Cli", "BadInputCorpus.txt");
        var cases = new List<BadInputCase>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var f = raw.Split('|', 5, StringSplitOptions.TrimEntries);
            if (f.Length != 5) throw new FormatException($"corpus line needs 5 fields: {raw}");
            var args = f[4].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a == "''" ? "" : a).ToArray();
            cases.Add(new BadInputCase(f[0], f[1], int.Parse(f[2]), f[3], args));
        }
        return cases;
    }
}
