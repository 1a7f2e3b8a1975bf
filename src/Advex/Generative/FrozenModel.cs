namespace Advex.Generative;

using Advex.Models;

/// <summary>Holds a target classifier frozen for as long as it is not disposed: eval mode and no parameter gradients
/// (so training a generator through it neither updates nor accumulates gradients in it); restores both after.</summary>
public sealed class FrozenModel : IDisposable
{
    private readonly IDisposable evalMode;
    private readonly List<(TorchSharp.Modules.Parameter Parameter, bool RequiresGrad)> saved;

    public FrozenModel(Classifier model)
    {
        evalMode = model.EvalMode();
        saved = model.Module.parameters().Select(p => (p, p.requires_grad)).ToList();
        foreach (var (p, _) in saved) p.requires_grad = false;
    }

    public void Dispose()
    {
        foreach (var (p, flag) in saved) p.requires_grad = flag;
        evalMode.Dispose();
    }
}
