namespace Advex.Tests.Attacks;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static TorchSharp.torch;

/// <summary>Every bounded attack in the registry stays inside the ε-ball (+1e-6) and [0,1] for random inputs, ε and
/// steps (random pixels, not only digits, on the shared LeNet).</summary>
[Collection("lenet")]
public sealed class BoundedAttackPropertyTests(TrainedLeNet lenet)
{
    private static readonly string[] Bounded =
        AttackRegistry.Names.Where(n => AttackRegistry.IsBounded(n) && !AttackTestSettings.Skip.Contains(n)).ToArray();

    [Property(MaxTest = 40)]
    public bool Bounded_attacks_stay_in_ball_and_box(int seed, PositiveInt pick, NormalFloat epsRaw, PositiveInt stepsRaw, bool l2, bool targeted)
    {
        using var scope = NewDisposeScope();
        var name = Bounded[pick.Get % Bounded.Length];
        var norm = l2 && name is "pgd" or "apgd-ce" or "apgd-dlr" or "apgd-t" or "autoattack" or "autoattack-apgd" or "fab" or "fab-t" or "optim"
            ? Norm.L2 : Norm.Linf;
        var eps = Math.Abs(epsRaw.Get) % (norm == Norm.L2 ? 4.0 : 0.5);
        var steps = stepsRaw.Get % 6 + 1;
        var attack = AttackRegistry.Create(name, eps, new AttackSettings { Norm = norm, Steps = steps, Queries = 50 });
        using var g = new Generator((ulong)seed);
        var x = rand([6, 1, 28, 28], generator: g);
        var y = randint(0, 10, [6], generator: g, dtype: ScalarType.Int64);
        AttackGoal goal = targeted ? new Targeted(y) : new Untargeted(y);
        var adv = attack.Run(lenet.Model, x, goal, g).Adversarial;
        var d = adv - x;
        var n = norm == Norm.Linf ? LpBall.LinfNorms(d) : LpBall.L2Norms(d);
        return n.max().item<float>() <= eps + 1e-6 && adv.min().item<float>() >= 0 && adv.max().item<float>() <= 1;
    }
}
