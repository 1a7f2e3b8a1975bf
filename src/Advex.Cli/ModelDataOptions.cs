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
        Description = "the layout image batches reach the model in: auto (channels-last where the model gives the same logits on it; " +
                      "faster convolutions and pooling on CPU), contiguous or channels-last",
        DefaultValueFactory = _ => "auto",
    };

    public void AddTo(Command cmd)
    {
        foreach (Option o in new Option[] { Model, Data, DataDir, Split, Limit, Mean, Std, InputShape, Arch, Classes, CheckpointKey, Backend, MemoryFormat }
                     .Concat(Transforms.All))
            cmd.Options.Add(o);
    }

    public string ModelPath(ParseResult p) => p.GetValue(Model)!;

    /// <summary>The model, fitted to the data (<see cref="ModelForData"/>): the data is loaded first, and its [C,H,W]
    /// is the input shape unless --input-shape is given; the caller owns the data <see cref="LoadData"/> returns.</summary>
    public Classifier LoadModel(ParseResult p) =>
        ModelForData.Load(ModelPath(p), new ModelOptions(Opts.ParseNormalization(p.GetValue(Mean), p.GetValue(Std)),
            p.GetValue(InputShape) is { } shape ? Opts.ParseShape(shape) : null,
            p.GetValue(Arch), p.GetValue(Classes), ModelBackends.Parse(p.GetValue(Backend)!),
            MemoryFormats.Parse(p.GetValue(MemoryFormat)!), p.GetValue(CheckpointKey)), LoadData(p));

    /// <summary>The data (loaded once; <see cref="LoadModel"/> loads it first).</summary>
    public Dataset LoadData(ParseResult p) => data ??=
        Opts.LoadData(p.GetValue(Data)!, p.GetValue(Split)!, p.GetValue(DataDir), p.GetValue(Limit), options: Transforms.Read(p));
}
