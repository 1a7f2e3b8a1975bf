namespace Advex.Workflows;

using Advex.Data;
using Advex.Models;
using Advex.Reporting;
using Advex.Validation;
using static TorchSharp.torch;

/// <summary>One of a sample's most probable classes: index, name and softmax probability.</summary>
public sealed record TopClass(int Class, string Name, double Probability);

/// <summary>A sample's top-k classes, most probable first; <see cref="File"/> is its file for an <c>images:</c>
/// folder (relative to the folder), else null.</summary>
public sealed record SamplePrediction(int Index, string? File, TopClass Top1, IReadOnlyList<TopClass> Topk);

/// <summary>The JSON of <c>advex predict</c>.</summary>
public sealed record PredictReport(string Model, string Data, string Split, int Count, int TopK,
    IReadOnlyList<SamplePrediction> Samples);

/// <summary>
/// <c>advex predict</c> as a library call: each sample's k most probable classes under the model (softmax of the
/// logits, eval mode), named by <c>classNames</c> (else the data's names when they number the model's classes, else
/// the indices). The data may be unlabelled.
/// </summary>
public static class PredictWorkflow
{
    public static PredictReport Run(Classifier model, Dataset data, string modelPath, int topK, string[]? classNames = null,
        string? json = null, IProgress<JobProgress>? progress = null)
    {
        Check.AtLeast(topK, 1, "top-k");
        model.CheckData(data, needsLabels: false);
        var k = Math.Min(topK, model.Classes);
        var names = PredictedLabels.Names(model, data, classNames);
        var samples = new List<SamplePrediction>(data.Count);
        using var mode = model.EvalMode();
        for (var start = 0; start < data.Count; start += PredictedLabels.BatchSize)
        {
            Interruption.ThrowIfRequested(() => $"after {start} of {data.Count} samples; nothing was written");
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var n = Math.Min(PredictedLabels.BatchSize, data.Count - start);
            var (x, _) = data.Slice(start, n);
            var (values, indices) = model.Logits(x).softmax(1).topk(k, dim: 1);
            var p = values.to_type(ScalarType.Float64).data<double>().ToArray();
            var c = indices.data<long>().ToArray();
            for (var i = 0; i < n; i++)
            {
                var top = Enumerable.Range(0, k).Select(j => new TopClass((int)c[i * k + j], names[c[i * k + j]], p[i * k + j])).ToList();
                samples.Add(new SamplePrediction(start + i, data.SampleNames?[start + i], top[0], top));
            }
            progress?.Report(new JobProgress("predict", start + n, data.Count));
        }
        var report = new PredictReport(modelPath, data.Spec, data.Split, data.Count, k, samples);
        if (json is not null) JsonOutput.Write(json, report);
        return report;
    }
}
