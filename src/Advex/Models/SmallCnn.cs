namespace Advex.Models;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>The Madry et al. MNIST network: conv 32 (5×5) - pool - conv 64 (5×5) - pool - fc 1024 - classes.</summary>
public sealed class SmallCnn : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly MaxPool2d pool;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public SmallCnn(int inChannels = 1, int classes = 10, int imageSize = 28) : base(nameof(SmallCnn))
    {
        conv1 = Conv2d(inChannels, 32, 5, padding: 2);
        conv2 = Conv2d(32, 64, 5, padding: 2);
        pool = MaxPool2d(2, 2);
        var side = imageSize / 4;
        fc1 = Linear(64 * side * side, 1024);
        fc2 = Linear(1024, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = pool.call(functional.relu(conv1.call(x)));
        h = pool.call(functional.relu(conv2.call(h)));
        h = functional.relu(fc1.call(h.flatten(1)));
        return fc2.call(h).MoveToOuterDisposeScope();
    }
}
