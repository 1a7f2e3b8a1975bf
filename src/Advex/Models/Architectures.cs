namespace Advex.Models;

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>The native architectures by name, as used by <c>--model</c> and the model manifest.</summary>
public static class Architectures
{
    public static IReadOnlyList<string> Names { get; } = ["lenet", "smallcnn", "wongnet", "mlp"];

    public static Module<Tensor, Tensor> Create(string name, long[] inputShape, int classes)
    {
        var (c, h, w) = (inputShape[0], inputShape[1], inputShape[2]);
        return name switch
        {
            "lenet" => new LeNet((int)c, classes, (int)h),
            "smallcnn" => new SmallCnn((int)c, classes, (int)h),
            "wongnet" => new WongNet((int)c, classes, (int)h),
            "mlp" => new Mlp(c * h * w, classes),
            _ => throw new AdvexException($"unknown architecture '{name}' (expected one of: {string.Join(", ", Names)})"),
        };
    }
}
