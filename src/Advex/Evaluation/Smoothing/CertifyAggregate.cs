namespace Advex.Evaluation.Smoothing;

using System.Globalization;

/// <summary>Computes <c>certify.json</c> from the records and configuration alone (so a resumed or merged
/// certification reports exactly what one uninterrupted run does).</summary>
public static class CertifyAggregate
{
    /// <summary>The radii always reported (Cohen et al.'s tables add the user's).</summary>
    public static readonly double[] DefaultRadii = [0, 0.25, 0.5, 0.75, 1];

    public static CertifyReport Report(CertifyManifest manifest, IReadOnlyList<CertifyRecord> records, double[] radii,
        Provenance provenance)
    {
        if (records.Count == 0) throw new AdvexException("no records to report (the certification holds no samples)");
        var c = manifest.Configuration;
        var sorted = records.OrderBy(r => r.Index).ToList();
        var accuracy = new SortedDictionary<string, double>(Comparer<string>.Create((a, b) =>
            double.Parse(a, CultureInfo.InvariantCulture).CompareTo(double.Parse(b, CultureInfo.InvariantCulture))));
        foreach (var r in DefaultRadii.Concat(radii).Distinct())
            accuracy[Key(r)] = CertifiedAccuracy(sorted, r);
        return new CertifyReport
        {
            Schema = CertifyManifest.SchemaName,
            Sigma = c.Sigma, N0 = c.N0, N = c.N, Alpha = c.Alpha, Seed = c.Seed,
            Model = new ModelInfo(manifest.ModelPath, c.Model.Kind, c.Model.Architecture, c.Model.Classes, c.Model.InputShape,
                c.Model.Mean, c.Model.Std, c.Model.Backend, c.Model.MemoryFormat, c.Model.CheckpointEntry),
            Data = new DataInfo(c.Data.Spec, c.Data.Split, sorted.Count),
            CertifiedAccuracy = accuracy,
            AbstainRate = sorted.Count(r => r.Prediction == Certificate.Abstain) / (double)sorted.Count,
            SmoothedAccuracy = sorted.Count(r => r.Correct) / (double)sorted.Count,
            Seconds = sorted.Sum(r => r.Seconds),
            Samples = sorted.Select(r => new CertifiedSample(r.Index, r.Label, r.Prediction, r.Correct, r.Radius)).ToList(),
            Provenance = provenance,
        };
    }

    /// <summary>The fraction of samples certified correct at radius r: correct and R ≥ r.</summary>
    public static double CertifiedAccuracy(IReadOnlyCollection<CertifyRecord> records, double radius) =>
        records.Count(r => r.Correct && r.Radius >= radius) / (double)records.Count;

    /// <summary>The JSON key of a radius: invariant culture, no trailing zeros ("0.25", "1").</summary>
    public static string Key(double radius) => radius.ToString("0.######", CultureInfo.InvariantCulture);
}
