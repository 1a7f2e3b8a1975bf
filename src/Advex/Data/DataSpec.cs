namespace Advex.Data;

/// <summary>Loads one split of a dataset named by a <see cref="DataSpec"/>.</summary>
/// <param name="argument">the spec itself for an exact name (<c>mnist</c>), the rest after the prefix for a prefix
/// entry (the folder of <c>idx:&lt;folder&gt;</c>)</param>
/// <param name="split"><c>train</c> or <c>test</c> (already checked)</param>
/// <param name="dataDir">a folder to read instead of the entry's usual place, or null</param>
/// <param name="classes">the class count when stated (at least 2, already checked), or null</param>
/// <param name="options">image transforms and label choice (already validated); a format they do not apply to
/// refuses them (<see cref="DataOptions.RefuseImageTransforms"/>)</param>
public delegate Dataset DataSpecLoader(string argument, string split, string? dataDir, int? classes, DataOptions options);

/// <summary>
/// One entry of <see cref="DataSpecRegistry"/>: a kind of data spec, either an exact name (<c>mnist</c>) or a prefix
/// (<c>idx:</c>) followed by an argument, with a one-line description for help text and its loader.
/// </summary>
/// <param name="Name">the exact name, or the prefix including its colon</param>
/// <param name="Argument">for a prefix entry, what follows the prefix as help shows it (<c>&lt;folder&gt;</c>);
/// null for an exact name</param>
public sealed record DataSpec(string Name, string? Argument, string Description, DataSpecLoader Load)
{
    public static DataSpec Exact(string name, string description, DataSpecLoader load) => new(name, null, description, load);

    public static DataSpec Prefix(string prefix, string argument, string description, DataSpecLoader load) =>
        new(prefix, argument, description, load);

    public bool IsPrefix => Argument is not null;

    /// <summary>How a user writes it: <c>mnist</c>, <c>idx:&lt;folder&gt;</c>.</summary>
    public string Usage => Name + Argument;

    /// <summary>The argument the loader gets when <paramref name="spec"/> names this entry, else null.</summary>
    public string? Match(string spec)
    {
        if (!IsPrefix) return spec == Name ? spec : null;
        return spec.StartsWith(Name, StringComparison.Ordinal) ? spec[Name.Length..] : null;
    }
}
