namespace Advex.Evaluation;

using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>How an evaluation chooses targets: none (untargeted), random, least-likely, or a fixed class.</summary>
public sealed record TargetMode(string Kind, int Class = -1)
{
    public static TargetMode None { get; } = new("none");
    public static TargetMode Random { get; } = new("random");
    public static TargetMode LeastLikely { get; } = new("least-likely");

    public bool IsTargeted => Kind != "none";

    public override string ToString() => Kind == "fixed" ? Class.ToString() : Kind;

    /// <summary>Parses <c>--targeted random|least-likely|&lt;class&gt;</c>.</summary>
    public static TargetMode Parse(string? s, int classes)
    {
        if (string.IsNullOrEmpty(s) || s == "none") return None;
        if (s == "random") return Random;
        if (s is "least-likely" or "ll") return LeastLikely;
        if (int.TryParse(s, out var k) && k >= 0 && k < classes) return new TargetMode("fixed", k);
        throw AdvexException.About($"target must be random, least-likely or a class 0..{classes - 1} (got '{s}')", "target");
    }

    /// <summary>The goal for a batch with true labels y.</summary>
    public AttackGoal Goal(Classifier model, Tensor x, Tensor y, AttackContext context) => Kind switch
    {
        "none" => new Untargeted(y),
        "random" => new Targeted(Targets.Random(y, model.Classes, context)),
        "least-likely" => new Targeted(Targets.LeastLikely(model, x)),
        _ => new Targeted(Targets.Fixed(Class, x.shape[0])),
    };
}
