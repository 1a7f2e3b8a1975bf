namespace Advex.Training;

/// <summary>
/// Wong, Rice, Kolter (2020)'s cyclic ("one-cycle") learning rate: piecewise linear through (0, 0),
/// (2/5 of training, max), (end, 0), evaluated at the fraction of training done.
/// </summary>
public static class OneCycle
{
    public const double PeakAt = 0.4;

    /// <summary>The lr after <paramref name="progress"/> ∈ [0, 1] of all training steps.</summary>
    public static double Lr(double maxLr, double progress)
    {
        var t = Math.Clamp(progress, 0, 1);
        return t <= PeakAt ? maxLr * t / PeakAt : maxLr * (1 - t) / (1 - PeakAt);
    }
}
