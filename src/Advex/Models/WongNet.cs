namespace Advex.Models;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// The small MNIST network of Wong, Rice, Kolter (2020, "Fast is better than free"): conv 16 (4×4, stride 2, pad 1) -
/// conv 32 (4×4, stride 2, pad 1) - fc 100 - classes, ReLU between, no pooling. About 25× cheaper than
/// <see cref="SmallCnn"/> per image.
/// </summary>
public sealed class WongNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public WongNet(int inChannels = 1, int classes = 10, int imageSize = 28) : base(nameof(WongNet))
    {
        conv1 = Conv2d(inChannels, 16, 4, stride: 2, padding: 1);
        conv2 = Conv2d(16, 32, 4, stride: 2, padding: 1);
        var side = imageSize / 4;
        fc1 = Linear(32 * side * side, 100);
        fc2 = Linear(100, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(conv1.call(x));
        h = functional.relu(conv2.call(h));
        h = functional.relu(fc1.call(h.flatten(1)));
        return fc2.call(h).MoveToOuterDisposeScope();
    }
}
