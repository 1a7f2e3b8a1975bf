namespace Advex.Models;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>A two-hidden-layer perceptron (inputs - 256 - 256 - classes), the quickest baseline.</summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Linear fc3;

    public Mlp(long inputs = 784, int classes = 10, int hidden = 256) : base(nameof(Mlp))
    {
        fc1 = Linear(inputs, hidden);
        fc2 = Linear(hidden, hidden);
        fc3 = Linear(hidden, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.relu(fc1.call(x.flatten(1)));
        h = functional.relu(fc2.call(h));
        return fc3.call(h).MoveToOuterDisposeScope();
    }
}
