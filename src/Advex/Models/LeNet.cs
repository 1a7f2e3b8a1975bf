namespace Advex.Models;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>LeNet-5 as in step 004 of the original notes / d2l: conv(6,5,pad 2)-relu-pool-conv(16,5)-relu-pool-fc 120-84-classes.</summary>
public sealed class LeNet : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly MaxPool2d pool;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Linear fc3;

    public LeNet(int inChannels = 1, int classes = 10, int imageSize = 28) : base(nameof(LeNet))
    {
        conv1 = Conv2d(inChannels, 6, 5, padding: 2);
        conv2 = Conv2d(6, 16, 5);
        pool = MaxPool2d(2, 2);
        var side = (imageSize / 2 - 4) / 2;
        fc1 = Linear(16 * side * side, 120);
        fc2 = Linear(120, 84);
        fc3 = Linear(84, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = pool.call(functional.relu(conv1.call(x)));
        h = pool.call(functional.relu(conv2.call(h)));
        h = functional.relu(fc1.call(h.flatten(1)));
        h = functional.relu(fc2.call(h));
        return fc3.call(h).MoveToOuterDisposeScope();
    }
}
