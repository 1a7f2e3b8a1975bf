namespace Advex.Models;

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>The native architectures by name, as used by <c>--model</c> and the model manifest.</summary>
public static class Architectures
{
    public static IReadOnlyList<string> Names { get; } = ["lenet", "smallcnn", "wongnet", "mlp"];

    /// <summary>A fresh module; an input too small for the architecture is an error naming both.</summary>
    public static Module<Tensor, Tensor> Create(string name, long[] inputShape, int classes)
    {
        if (!Names.Contains(name))
            throw new AdvexException($"unknown architecture '{name}' (expected one of: {string.Join(", ", Names)})");
        var (c, h, w) = (inputShape[0], inputShape[1], inputShape[2]);
        try
        {
            return name switch
            {
                "lenet" => new LeNet((int)c, classes, (int)h),
                "smallcnn" => new SmallCnn((int)c, classes, (int)h),
                "wongnet" => new WongNet((int)c, classes, (int)h),
                _ => new Mlp(c * h * w, classes),
            };
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw new AdvexException(
                $"architecture {name} cannot take inputs [{string.Join(",", inputShape)}] (too small for its layers?): " +
                Native.NativeErrors.Cause(e.Message), e);
        }
    }
}
