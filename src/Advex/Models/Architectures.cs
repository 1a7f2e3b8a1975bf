namespace Advex.Models;

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// The registry of native architectures by name, as used by <c>--model</c> and the model manifest. Each entry's
/// description drives the CLI help and the contract suite (<c>ArchitectureTests</c>) iterates <see cref="All"/>, so
/// an architecture added here (its module in its own file, one line below) is tested like the others.
/// </summary>
public static class Architectures
{
    public static IReadOnlyList<NativeArchitecture> All { get; } =
    [
        new("lenet", "LeNet-5, conv 6-16 and fc 120-84", (s, k) => new LeNet((int)s[0], k, (int)s[1])),
        new("smallcnn", "Madry et al.'s conv 32-64 and fc 1024", (s, k) => new SmallCnn((int)s[0], k, (int)s[1])),
        new("wongnet", "Wong et al. 2020's conv 16-32 stride 2 and fc 100", (s, k) => new WongNet((int)s[0], k, (int)s[1])),
        new("mlp", "two hidden layers of 256, the quickest baseline", (s, k) => new Mlp(s[0] * s[1] * s[2], k)),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(a => a.Name)];

    /// <summary>"lenet (…), smallcnn (…), … or mlp (…)": every entry with its description, for help text.</summary>
    public static string Help => Listing.Or(All.Select(a => $"{a.Name} ({a.Description})"));

    public static NativeArchitecture Get(string name) =>
        All.FirstOrDefault(a => a.Name == name)
        ?? throw new AdvexException($"unknown architecture '{name}' (expected one of: {string.Join(", ", Names)})");

    /// <summary>A fresh module; an input too small for the architecture is an error naming both.</summary>
    public static Module<Tensor, Tensor> Create(string name, long[] inputShape, int classes)
    {
        var architecture = Get(name);
        try
        {
            return architecture.Create(inputShape, classes);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw new AdvexException(Native.NativeErrors.IsOutOfMemory(e.Message)
                ? $"architecture {name} with inputs [{string.Join(",", inputShape)}] and {classes} classes needs more memory than there is: " +
                  Native.NativeErrors.OutOfMemory(e.Message)
                : $"architecture {name} cannot take inputs [{string.Join(",", inputShape)}] (too small for its layers?): " +
                  Native.NativeErrors.Cause(e.Message), e);
        }
    }
}
