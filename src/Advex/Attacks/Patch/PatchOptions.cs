namespace Advex.Attacks.Patch;

using Advex.Validation;

/// <summary>
/// Options of an adversarial patch (Brown, Mané, Roy, Abadi &amp; Gilmer 2017): the target class; the patch's side as
/// a fraction of the image's (<see cref="Size"/>; its area is Size² of the image); the transformations it is
/// trained and tested under — scale in [<see cref="MinScale"/>, <see cref="MaxScale"/>] of that side, rotation in
/// ±<see cref="MaxRotation"/> degrees, any location where its centre keeps the scaled square inside the image —;
/// and the training schedule (Adam on the patch's pixels, clipped to [0, 1] after every step).
/// </summary>
public sealed record PatchOptions
{
    public PatchOptions(int target, double size = 0.3, double minScale = 0.8, double maxScale = 1.2, double maxRotation = 20,
        int epochs = 5, int batchSize = 64, double lr = 0.05)
    {
        Target = target >= 0 ? target : throw AdvexException.About($"target must be a class index >= 0 (got {target})", "target");
        Size = Check.InRange(size, 0.01, 1, "patch-size");
        MinScale = Check.Positive(minScale, "min-scale");
        MaxScale = Check.Positive(maxScale, "max-scale");
        if (MaxScale < MinScale) throw AdvexException.About($"max-scale ({maxScale}) is below min-scale ({minScale})", "max-scale", "min-scale");
        if (Size * MaxScale > 1) throw AdvexException.About($"patch-size × max-scale = {Size * MaxScale} does not fit in the image (must be <= 1)", "patch-size", "max-scale");
        MaxRotation = Check.InRange(maxRotation, 0, 180, "max-rotation");
        Epochs = Check.AtLeast(epochs, 1, "epochs");
        BatchSize = Check.AtLeast(batchSize, 1, "batch-size");
        Lr = Check.Positive(lr, "lr");
    }

    public int Target { get; }
    public double Size { get; }
    public double MinScale { get; }
    public double MaxScale { get; }
    public double MaxRotation { get; }
    public int Epochs { get; }
    public int BatchSize { get; }
    public double Lr { get; }
}
