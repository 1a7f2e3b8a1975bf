namespace Advex.Attacks.Core;

using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>The torch.optim optimizer (default settings apart from the learning rate) that drives a perturbation δ
/// in the optimizer attacks of seed 003.</summary>
public static class DeltaOptimizer
{
    public static OptimizerHelper Create(OptimizerKind kind, Parameter delta, double lr) => kind switch
    {
        OptimizerKind.Sgd => optim.SGD([delta], lr),
        OptimizerKind.RmsProp => optim.RMSProp([delta], lr),
        _ => optim.Adam([delta], lr),
    };
}
