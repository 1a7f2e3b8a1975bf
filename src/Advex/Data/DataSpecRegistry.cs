namespace Advex.Data;

/// <summary>
/// Every kind of data spec (DESIGN §6) that <c>DataSource.Load</c> resolves, tried in order. Each entry's
/// description drives the CLI help and the contract suite (<c>DataSpecContractTests</c>) iterates <see cref="All"/>.
/// Adding a format is its file (a loader and an <c>Entry</c>, like <see cref="IdxSpec"/>) plus one line here.
/// </summary>
public static class DataSpecRegistry
{
    public static IReadOnlyList<DataSpec> All { get; } =
    [
        Mnist.Entry,
        FashionMnist.Entry,
        IdxSpec.Entry,
        ImageFolder.Entry,
        Cifar10.Entry,
        Cifar100.Entry,
    ];

    /// <summary>How each entry is written: <c>mnist</c>, <c>fashion-mnist</c>, <c>idx:&lt;folder&gt;</c>.</summary>
    public static IReadOnlyList<string> Usages { get; } = [.. All.Select(s => s.Usage)];

    /// <summary>"mnist (…), fashion-mnist (…) or idx:&lt;folder&gt; (…)", for help text.</summary>
    public static string Help => Listing.Or(All.Select(s => $"{s.Usage} ({s.Description})"));

    /// <summary>The entry <paramref name="spec"/> names and the argument its loader gets; an unknown spec is an
    /// error listing every entry.</summary>
    public static (DataSpec Entry, string Argument) Find(string spec)
    {
        foreach (var entry in All)
            if (entry.Match(spec) is { } argument) return (entry, argument);
        throw new AdvexException($"unknown dataset '{spec}' (expected one of: {string.Join(", ", Usages)})");
    }
}
