namespace Advex.Examples;

using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Workflows;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// A randomized defense attacked with expectation over transformation:
/// <code>
/// advex eval --model noisy --attack pgd --eps 0.3 --steps 20 --eot 10
/// advex eval --model noisy --attack autoattack --version rand --eps 0.3
/// </code>
/// as library calls. The defense adds Gaussian noise to every input before a TorchScript LeNet, so each forward pass
/// draws new noise; with <c>Eot = N</c> each gradient an attack takes is the mean over N draws, and AutoAttack's
/// <c>rand</c> version runs APGD-CE and APGD-DLR with 20 draws per gradient.
/// </summary>
public static class RandomizedDefenseExample
{
    /// <summary>x ↦ f(x + σ·z), z ~ N(0, I) drawn from libtorch's global generator at every call.</summary>
    public sealed class NoisyInput : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;
        private readonly double sigma;

        public NoisyInput(nn.Module<Tensor, Tensor> inner, double sigma) : base(nameof(NoisyInput))
        {
            this.inner = inner;
            this.sigma = sigma;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => inner.call(x + sigma * randn_like(x));
    }

    /// <summary>The model behind a <see cref="NoisyInput"/> of standard deviation σ. Dispose the model, not the
    /// returned classifier (TorchSharp cannot dispose a TorchScript module held as a submodule).</summary>
    public static Classifier Noisy(Classifier model, double sigma) =>
        new(new NoisyInput(model.Module, sigma), model.InputShape, model.Classes, kind: "randomized");

    public static EvalReport Run(string torchScriptFile, int limit, int steps = 20)
    {
        using var lenet = ModelStore.Load(torchScriptFile);
        var model = Noisy(lenet, 0.2);
        using var test = DataSource.Load("mnist", "test");
        using var data = test.Take(limit);
        double[] eps = [0.3];
        var plain = AttackRegistry.Create("pgd", 0.3, new AttackSettings { Steps = steps, StepSize = 0.03 });
        Attack[] attacks =
        [
            plain,
            plain with { Eot = 10 },
            AttackRegistry.Create("autoattack", 0.3, new AttackSettings { Version = "rand", Steps = steps }),
        ];
        var (report, _) = EvalWorkflow.Run(model, data, attacks, new EvalOptions { Eps = eps }, torchScriptFile);
        foreach (var r in report.Runs)
            Console.WriteLine($"{r.Attack} eot {(r.Params.TryGetValue("eot", out var n) ? n : 1)}: robust accuracy " +
                $"{r.RobustAccuracy:P1}, {r.GradientsPerSample:F0} gradient evaluations per sample");
        return report;
    }
}
