namespace Advex.Models;

using Advex.Data;
using static TorchSharp.torch;

/// <summary>
/// Labels and class names for a dataset as a model sees it. With <c>predicted</c> labels each sample's label is the
/// model's clean prediction (argmax of the logits, eval mode), so an untargeted attack means "change what the model
/// says" and an unlabelled set (<see cref="Dataset.Labelled"/> false) can be evaluated. Class names, when given, name
/// the model's classes (their count is checked against it).
/// </summary>
public static class PredictedLabels
{
    /// <summary>Samples per forward pass; gradient-free, so a small fixed batch that also keeps the labels independent
    /// of any evaluation batch size.</summary>
    public const int BatchSize = 16;

    /// <summary>A new dataset with the labels and names asked for, or null when nothing changes.</summary>
    /// <param name="predicted">take the labels from the model's predictions</param>
    /// <param name="classNames">names of the model's classes (checked to number them), or null</param>
    public static Dataset? Apply(Classifier model, Dataset data, bool predicted, string[]? classNames)
    {
        if (classNames is not null && classNames.Length != model.Classes)
            throw AdvexException.About($"class-names names {classNames.Length} classes, the model has {model.Classes}", "class-names");
        // an unlabelled set without predicted labels stays as it is: whatever needs labels refuses it
        if (!predicted && (classNames is null || !data.Labelled)) return null;
        var names = Names(model, data, classNames);
        if (!predicted)
        {
            data.CheckLabels(model.Classes, $"the model has {model.Classes} classes");
            return data.Relabel([.. data.LabelArray], names, data.Labels);
        }
        return data.Relabel(Predict(model, data), names, Dataset.LabelsPredicted);
    }

    /// <summary>The names of the model's classes: the given ones, else the data's when they number the model's
    /// classes, else the class indices.</summary>
    public static string[] Names(Classifier model, Dataset data, string[]? classNames) =>
        classNames ?? (data.Labelled && data.Classes == model.Classes
            ? data.ClassNames
            : [.. Enumerable.Range(0, model.Classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))]);

    /// <summary>The model's clean prediction for every sample, in index order.</summary>
    public static long[] Predict(Classifier model, Dataset data)
    {
        model.CheckData(data, needsLabels: false);
        using var mode = model.EvalMode();
        var labels = new long[data.Count];
        for (var start = 0; start < data.Count; start += BatchSize)
        {
            Interruption.ThrowIfRequested(() => $"after predicting {start} of {data.Count} samples");
            using var scope = NewDisposeScope();
            var n = Math.Min(BatchSize, data.Count - start);
            var (x, _) = data.Slice(start, n);
            model.Predict(x).data<long>().ToArray().CopyTo(labels, start);
        }
        return labels;
    }
}
