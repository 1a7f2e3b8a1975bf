namespace Advex.Tests.Defenses;

using Advex.Defenses;
using Advex.Models;
using Advex.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

public sealed class TrainingModeTests
{
    /// <summary>LeNet that records, for every forward pass, whether it ran in train mode.</summary>
    private sealed class ModeRecorder : Module<Tensor, Tensor>
    {
        private readonly Module<Tensor, Tensor> inner;

        public ModeRecorder(Module<Tensor, Tensor> inner) : base(nameof(ModeRecorder))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public List<bool> Modes { get; } = [];

        public override Tensor forward(Tensor x)
        {
            Modes.Add(training);
            return inner.call(x);
        }
    }

    public static IEnumerable<object[]> Methods =>
        AdversarialTraining.Methods.Select(m => new object[] { m, 0.0 }).Append(["fgsm-rs", 0.5]);

    [Theory]
    [MemberData(nameof(Methods))]
    public void Every_training_method_attacks_in_eval_mode_and_takes_its_loss_in_train_mode(string method, double gradAlign)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var recorder = new ModeRecorder(Architectures.Create("lenet", [1, 28, 28], 10));
        using var model = new Classifier(recorder, [1, 28, 28], 10);
        var options = new AdversarialTraining(method, 0.1, steps: method is "pgd" or "trades" ? 2 : null,
            earlyStopping: false, heldout: 0, gradAlign: gradAlign);
        using var hardening = new Hardening(options, null, seed: 1);
        var (x, y) = DefenseLossTests.Batch(8);
        model.Module.train();

        var loss = hardening.Loss(model, new TrainingBatch(x, y, [0, 1, 2, 3, 4, 5, 6, 7], Epoch: 1));

        Assert.True(model.Module.training, "the model was not given back in train mode");
        Assert.True(loss.requires_grad);
        var firstTrain = recorder.Modes.IndexOf(true);
        Assert.True(firstTrain > 0, $"{method}: the attack made no forward pass in eval mode");
        Assert.All(recorder.Modes.Skip(firstTrain), m => Assert.True(m, $"{method}: an eval-mode pass after the loss began"));
    }
}
