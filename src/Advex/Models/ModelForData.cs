namespace Advex.Models;

using Advex.Data;

/// <summary>
/// Loads a model to run on a dataset (DESIGN §6: a model's input shape defaults to the data's when its format does not
/// fix it). A stated input shape wins; otherwise the data's [C,H,W] is offered to the format, which uses it when the
/// file records no shape (TorchScript) and checks it against the shape it records (ONNX). Either way a model and
/// data that do not fit are one error naming both shapes.
/// </summary>
public static class ModelForData
{
    public static Classifier Load(string path, Normalization? normalization, long[]? inputShape, Dataset data) =>
        Load(path, new ModelOptions(normalization, inputShape), data);

    /// <summary>Loads with every model option (architecture, classes, backend); a null input shape becomes the data's.</summary>
    public static Classifier Load(string path, ModelOptions options, Dataset data)
    {
        var inputShape = options.InputShape;
        CheckNormalization(options.Normalization, inputShape?[0] ?? data.Channels, inputShape is null ? $"data {data.Spec}" : "the input shape");
        Classifier model;
        try
        {
            model = ModelFormatRegistry.Load(path, options with { InputShape = inputShape ?? data.InputShape });
        }
        catch (AdvexException e) when (inputShape is null && e.Message.Contains("failed on input", StringComparison.Ordinal))
        {
            throw new AdvexException(
                $"data {data.Spec} has images [{string.Join(",", data.InputShape)}], which model {path} cannot take: {e.Message}", e);
        }
        try
        {
            model.CheckData(data, needsLabels: false);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Refuses a mean/std whose count is neither 1 nor the channel count, before any model is loaded.</summary>
    public static void CheckNormalization(Normalization? normalization, long channels, string what)
    {
        if (normalization is { } n && n.Mean.Length != 1 && n.Mean.Length != channels)
            throw new AdvexException(
                $"normalization has {n.Mean.Length} channels of mean/std, but {what} has {channels} channel" +
                (channels == 1 ? " (give one value)" : $"s (give 1 or {channels} values)"));
    }
}
