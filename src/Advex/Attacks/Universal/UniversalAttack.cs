namespace Advex.Attacks.Universal;

using Advex.Attacks.Core;
using Advex.IO;
using Advex.Models;
using Advex.Validation;
using static TorchSharp.torch;

/// <summary>
/// A saved universal perturbation applied as an attack: x' = clip(x + v), the same v for every input (no gradients,
/// no queries); <c>Attack.Run</c> then projects onto the requested ε-ball, so an ε at least v's norm applies v
/// unchanged. Loaded from the <c>.npy</c> file <c>attack --universal</c> writes.
/// </summary>
public sealed record UniversalAttack : Attack
{
    private readonly double eps;

    public UniversalAttack(double eps, float[] values, long[] shape, Norm norm, string? source = null)
    {
        this.eps = Check.NonNegative(eps, "eps");
        Values = values;
        Shape = shape;
        Norm = norm;
        Source = source;
    }

    /// <summary>Loads v from a <c>.npy</c> file [C, H, W] (or [1, C, H, W]); the ε-ball's norm is <paramref name="norm"/>.</summary>
    public static UniversalAttack Load(string path, double eps, Norm norm)
    {
        var (values, shape) = NpyFile.Read(path);
        if (shape.Length == 4 && shape[0] == 1) shape = shape[1..];
        if (shape.Length != 3) throw new AdvexException($"{path}: a universal perturbation is [C,H,W], not [{string.Join(",", shape)}]");
        if (values.Any(v => !float.IsFinite(v))) throw new AdvexException($"{path}: the perturbation holds NaN or infinite values");
        return new UniversalAttack(eps, values, shape, norm, path);
    }

    public float[] Values { get; }
    public long[] Shape { get; }
    public string? Source { get; }
    public override string Name => "universal";
    public override Norm Norm { get; }
    public override double Eps => eps;
    public override bool NeedsGradients => false;

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["perturbation"] = Source ?? "(in memory)",
    };

    public override Attack WithEps(double e) => new UniversalAttack(e, Values, Shape, Norm, Source);

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        if (!x.shape.Skip(1).SequenceEqual(Shape))
            throw new AdvexException($"the universal perturbation is [{string.Join(",", Shape)}], the inputs are [{string.Join(",", x.shape.Skip(1))}]");
        using var v = tensor(Values, Shape);
        return x + v.unsqueeze(0);
    }
}
