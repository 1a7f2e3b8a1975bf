namespace Advex.Generative;

/// <summary>Generated images copied out of torch: one float[C·H·W] in [0,1] per sample, and the scorer's predicted
/// class per sample (null without a scorer).</summary>
public sealed record GanSamples(IReadOnlyList<float[]> Pixels, IReadOnlyList<long>? Predictions, long[] ImageShape);
