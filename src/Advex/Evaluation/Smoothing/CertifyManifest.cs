namespace Advex.Evaluation.Smoothing;

using Advex.Data;
using Advex.Models;

/// <summary>Everything that determines a certification's records: model and data (with fingerprints), seed and
/// CERTIFY's parameters. The noise batch size is not part of it (the records do not depend on it).</summary>
public sealed record CertifyConfig(ModelConfig Model, string ModelSha256, DataConfig Data, string DataSha256,
    string[] ClassNames, int Seed, double Sigma, int N0, int N, double Alpha)
{

    public static CertifyConfig Of(Classifier model, string modelPath, Dataset data, SmoothingOptions options, int seed) =>
        new(ModelConfig.Of(model), Fingerprint.OfModel(modelPath), new DataConfig(data.Spec, data.Split, data.Count),
            Fingerprint.OfData(data), data.ClassNames, seed, options.Sigma, options.N0, options.N, options.Alpha);
}

/// <summary><c>run.json</c> of a certification folder (schema <c>advex-certify/1</c>): its configuration, the shard
/// (null when whole or merged), and provenance.</summary>
public sealed record CertifyManifest(CertifyConfig Configuration, Shard? Shard, string ModelPath, string Command,
    string AdvexVersion, DateTime StartedUtc)
{
    public const string SchemaName = "advex-certify/1";
    public string Schema { get; init; } = SchemaName;

    /// <summary>The radii the report adds to the defaults (they change no record; a merge reports them too).</summary>
    public double[] Radii { get; init; } = [];
}
