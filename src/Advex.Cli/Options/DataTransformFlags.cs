namespace Advex.Cli.Options;

using System.CommandLine;
using Advex.Data;

/// <summary>How a dataset is read, for every command that loads one: <c>--resize</c>, <c>--center-crop</c>,
/// <c>--grayscale</c> (images: folders) and <c>--label</c> (cifar100:).</summary>
public sealed class DataTransformFlags
{
    public Option<int?> Resize { get; } = Opts.Resize();
    public Option<int?> CenterCrop { get; } = Opts.CenterCrop();
    public Option<bool> Grayscale { get; } = Opts.Grayscale();
    public Option<string?> Label { get; } = Opts.Label();

    public IEnumerable<Option> All => [Resize, CenterCrop, Grayscale, Label];

    public DataOptions Read(ParseResult p) => Opts.ReadDataOptions(p, Resize, CenterCrop, Grayscale, Label);
}
