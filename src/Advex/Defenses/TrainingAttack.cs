namespace Advex.Defenses;

using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// The one way every adversarial-training method makes its examples: the attack runs with the model in eval mode
/// (as every Advex attack does, and as robustness libraries, Rice et al. and the TRADES authors do; Madry's and Wong's
/// code attack the training graph), and the model's previous mode (train mode during training) is back before the
/// training loss is computed. The native architectures have neither dropout nor batch norm, so there both modes give
/// the same examples bit for bit.
/// </summary>
public static class TrainingAttack
{
    /// <summary>Runs <paramref name="attack"/> with <paramref name="model"/> in eval mode, then restores its mode.</summary>
    public static Tensor InEvalMode(Classifier model, Func<Tensor> attack)
    {
        using var eval = model.EvalMode();
        return attack();
    }
}
