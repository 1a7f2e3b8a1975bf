namespace Advex.Workflows;

/// <summary>
/// How much work <c>advex demo</c> does. The full plan fits in 10 minutes on 2 cores: LeNet for 5 epochs on the 60k
/// training images; the FGSM sweep on all 10k test images; FGSM, PGD (40 steps, α = 0.01), APGD-CE and AutoAttack at
/// ε = 0.3 on the first 1,000; C&amp;W (100 steps, 5 binary-search steps from c = 0.01) and DeepFool on the first
/// 200; the optimizer comparison on 16 images.
/// <c>--quick</c> fits in 2 minutes: 1 epoch on the first 10k training images and 1,000 / 200 / 100 test images
/// (C&amp;W: 50 steps, 4 binary-search steps from c = 0.1).
/// AdvGAN: a generator trained against the LeNet for 2 epochs on the first 20k training images (--quick: 1 epoch on
/// 5k, which only starts to learn), then evaluated at ε = 0.3 beside PGD on the same test images.
/// Adversarial training: PGD-AT LeNet (ε 0.3, 5 steps) for 2 epochs on 20k images, then FGSM
/// and PGD-40 against it (--quick: 2 epochs on 10k). GAN: the small DCGAN (<c>dcgan-small</c>, quicker to start
/// than the default <c>dcgan</c>) for 1 epoch on 30k images (--quick: 10k), scored by the demo's LeNet.
/// Seed 003 on a real network (full plan only; <see cref="FeatureSteps"/> 0 skips it): SGD, RMSprop and Adam each
/// drive 60 steps of the feature-space attack on ML.NET's ImageNet ResNet-18, astronaut toward chelsea's features
/// (the embedded photos), ε = 10/255.
/// </summary>
public sealed record DemoPlan(int Epochs, int? TrainLimit, int FgsmCount, int StrongCount, int MinimisationCount,
    int CwSteps, int CwBinarySearchSteps, double CwC, int OptimizerSamples, int OptimizerSteps, int AdvGanEpochs,
    int AdvGanTrainLimit, int HardenEpochs = 2, int HardenTrainLimit = 20_000, int GanEpochs = 1,
    int GanTrainLimit = 30_000, int FeatureSteps = 0)
{
    public static DemoPlan Full { get; } = new(5, null, 10_000, 1_000, 200, 100, 5, 1e-2, 16, 100, 2, 20_000, FeatureSteps: 60);

    public static DemoPlan Quick { get; } = new(1, 10_000, 1_000, 200, 100, 50, 4, 0.1, 16, 100, 1, 5_000, 2, 10_000, 1, 10_000);

    /// <summary>L∞ budgets of the FGSM sweep.</summary>
    public static readonly double[] Epsilons = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];

    /// <summary>The budget of the strong attacks (the classic MNIST ε).</summary>
    public const double StrongEps = 0.3;

    /// <summary>L2 radii at which the minimisation attacks (C&amp;W, DeepFool) are scored.</summary>
    public static readonly double[] L2Radii = [0.5, 1, 1.5, 2, 2.5, 3];

    /// <summary>Target class of the optimizer comparison (seed 003).</summary>
    public const int OptimizerTarget = 3;

    /// <summary>The feature-space attack's source and guide among the embedded photos (astronaut, chelsea, coffee,
    /// rocket in file order), its L∞ budget and learning rate.</summary>
    public const int FeatureSource = 0, FeatureGuide = 1;

    public const double FeatureEps = 10 / 255.0, FeatureLr = 0.002;
}
