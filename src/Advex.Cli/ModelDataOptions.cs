namespace Advex.Cli;

using System.CommandLine;
using Advex.Cli.Options;
using Advex.Data;
using Advex.Models;

/// <summary>The options that name a model and the data to run it on, shared by eval, attack and optimizers.</summary>
public sealed class ModelDataOptions(int? defaultLimit = null)
{
    public Option<string> Model { get; } = new("--model")
    {
        Description = ModelFormatRegistry.Help, Required = true,
    };

    public Option<string> Data { get; } = Opts.Data();
    public Option<string?> DataDir { get; } = Opts.DataDir();
    public Option<string> Split { get; } = Opts.Split("test");

    public Option<int?> Limit { get; } = new("--limit")
    {
        Description = "use only the first N samples, in file order", DefaultValueFactory = _ => defaultLimit,
    };

    public Option<string?> Mean { get; } = Opts.Mean();
    public Option<string?> Std { get; } = Opts.Std();
    public Option<string> InputShape { get; } = Opts.InputShape();
    public DataTransformFlags Transforms { get; } = new();

    private Dataset? data;

    public Option<string?> Arch { get; } = new("--arch")
    {
        Description = $"the architecture a PyTorch state_dict belongs to: {Advex.Models.Checkpoints.CheckpointArchitectures.Help}",
    };

    public Option<int?> Classes { get; } = new("--classes")
    {
        Description = "the class count of --arch (default: the checkpoint's output layer)",
    };

    public Option<string?> CheckpointKey { get; } = new("--checkpoint-key")
    {
        Description = "the entry of a training checkpoint that holds the state_dict, e.g. ema (default: the only " +
                      "dictionary of tensors in it)",
    };

    public Option<string> Backend { get; } = new("--backend")
    {
        Description = "torch (every model, gradients included) or onnxruntime (ONNX graphs, gradient-free attacks only)",
        DefaultValueFactory = _ => "torch",
    };

    public Option<string> MemoryFormat { get; } = new("--memory-format")
    {
        Description = "the layout image batches reach the model in: auto (the model's own: channels-last for Advex's architectures, " +
                      "contiguous for other models, the faster one on the measured networks), " +
                      "contiguous or channels-last (refused for a model that gives other logits on it)",
        DefaultValueFactory = _ => "auto",
    };

    public Option<string> Labels { get; } = new("--labels")
    {
        Description = "where each sample's label comes from: dataset (its files) or predicted (the model's clean prediction; " +
                      "needed for an unlabelled images: folder, and then an untargeted attack means \"change what the model says\")",
        DefaultValueFactory = _ => Dataset.LabelsFromDataset,
    };

    public Option<string?> ClassNames { get; } = new("--class-names")
    {
        Description = "a file naming the model's classes, one per line (line k names class k-1), e.g. ImageNet's 1,000",
    };

    private Classifier? model;

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[] { Model, Data, DataDir, Split, Limit, Mean, Std, InputShape, Arch, Classes, CheckpointKey, Backend, MemoryFormat, Labels, ClassNames }
                     .Concat(Transforms.All))
            cmd.Options.Add(o);
    }

    public string ModelPath(ParseResult p) => p.GetValue(Model)!;

    /// <summary>The model, fitted to the data (<see cref="ModelForData"/>): the data is loaded first, and its [C,H,W]
    /// is the input shape unless --input-shape is given; the caller owns the data <see cref="LoadData"/> returns.</summary>
    public Classifier LoadModel(ParseResult p)
    {
        var predicted = PredictedLabelsAsked(p);
        var names = ReadClassNames(p);
        model = ModelForData.Load(ModelPath(p), new ModelOptions(Opts.ParseNormalization(p.GetValue(Mean), p.GetValue(Std)),
            p.GetResult(InputShape) is { Implicit: false } ? Opts.ParseShape(p.GetValue(InputShape)!) : null,
            p.GetValue(Arch), p.GetValue(Classes), ModelBackends.Parse(p.GetValue(Backend)!),
            MemoryFormats.Parse(p.GetValue(MemoryFormat)!), p.GetValue(CheckpointKey)), RawData(p));
        try
        {
            if (PredictedLabels.Apply(model, data!, predicted, names) is { } relabelled)
            {
                data!.Dispose();
                data = relabelled;
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>The data with the labels and class names asked for (after <see cref="LoadModel"/>, which loads it
    /// first and replaces the labels by the model's predictions when asked); the caller owns it.</summary>
    public Dataset LoadData(ParseResult p) => model is null && PredictedLabelsAsked(p)
        ? throw new InvalidOperationException("predicted labels need the model loaded first")
        : RawData(p);

    /// <summary>The names of --class-names (their count is checked against the model's classes), or null.</summary>
    public string[]? ReadClassNames(ParseResult p) => p.GetValue(ClassNames) is { } file ? ClassNamesFile.Read(file) : null;

    /// <summary>The data as its files give it (loaded once).</summary>
    private Dataset RawData(ParseResult p) => data ??=
        Opts.LoadData(p.GetValue(Data)!, p.GetValue(Split)!, p.GetValue(DataDir), p.GetValue(Limit), options: Transforms.Read(p));

    private bool PredictedLabelsAsked(ParseResult p) => p.GetValue(Labels) switch
    {
        null or Dataset.LabelsFromDataset => false, // null: a command without --labels (predict)
        Dataset.LabelsPredicted => true,
        var other => throw new AdvexException($"--labels must be {Dataset.LabelsFromDataset} or {Dataset.LabelsPredicted} (got '{other}')"),
    };
}
