namespace Advex.Reporting;

/// <summary>How a perturbation is drawn in image grids.</summary>
public static class PerturbationImage
{
    /// <summary>x′ − x shown as 0.5 + 0.5·δ_c / max|δ_c|, each channel c scaled by its own largest change, so a
    /// perturbation concentrated in one colour stays visible in the others (grey = unchanged).</summary>
    public static float[] Amplified(float[] adversarial, float[] clean, int channels)
    {
        var plane = clean.Length / channels;
        var d = new float[clean.Length];
        for (var c = 0; c < channels; c++)
        {
            var scale = 1e-12f;
            for (var i = c * plane; i < (c + 1) * plane; i++) scale = Math.Max(scale, Math.Abs(adversarial[i] - clean[i]));
            for (var i = c * plane; i < (c + 1) * plane; i++) d[i] = 0.5f + 0.5f * (adversarial[i] - clean[i]) / scale;
        }
        return d;
    }
}
