namespace Advex.Attacks.Core;

using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// The rows of one attack call: their dataset indices, which key every random number the attack draws for them
/// (<see cref="CounterRng"/>, key = (seed, dataset index, stream, draw); streams are derived from the attack's name,
/// the restart, the query or stage), and the work spent on each row (gradient evaluations, forward-only queries).
/// Row i's numbers depend only on its key, never on the batch it rides in, its position or the other rows, so
/// results do not depend on batch size, order or sharding. Single-step attacks share the clean input gradient of
/// the batch through <see cref="InputGradient"/> (an FGSM ε-sweep computes it once).
/// </summary>
public sealed class AttackContext : IDisposable
{
    private readonly Shared shared;
    private readonly int[] positions;
    private readonly ulong stream;
    private long draw;

    private AttackContext(ulong seed, long[] indices, ulong stream, Shared shared, int[] positions, long draw)
    {
        Seed = seed;
        Indices = indices;
        this.stream = stream;
        this.shared = shared;
        this.positions = positions;
        this.draw = draw;
    }

    public ulong Seed { get; }

    /// <summary>The dataset index of each row.</summary>
    public long[] Indices { get; }

    public int Rows => Indices.Length;

    /// <summary>A context for rows with the given dataset indices.</summary>
    public static AttackContext For(long seed, long[] indices) =>
        new(unchecked((ulong)seed), indices, 0, new Shared(indices.Length), Enumerable.Range(0, indices.Length).ToArray(), 0);

    /// <summary>Rows 0 … n−1 (a batch attacked on its own, outside an evaluation).</summary>
    public static AttackContext Sequential(int n, long seed = 0) =>
        For(seed, Enumerable.Range(0, n).Select(i => (long)i).ToArray());

    /// <summary>The same rows and work counters, drawing from the named sub-stream (draws restart at 0).</summary>
    public AttackContext Stream(string name) => Derive(CounterRng.Hash(name));

    /// <summary>The sub-stream of restart r; restart 0 is this stream itself.</summary>
    public AttackContext Restart(int r) => r == 0 ? this : Derive(CounterRng.Key(0x52455354UL, (ulong)r));

    /// <summary>The sub-stream of step (query, iteration) i.</summary>
    public AttackContext Step(long i) => Derive(CounterRng.Key(0x53544550UL, (ulong)i));

    private AttackContext Derive(ulong part) =>
        new(Seed, Indices, CounterRng.Key(stream, part), shared, positions, 0);

    /// <summary>The rows picked by an int64 index tensor [k] into this context's rows; they keep their keys, and the
    /// draw counter continues from this context's.</summary>
    public AttackContext Select(Tensor rows)
    {
        var picked = rows.data<long>().ToArray();
        return new AttackContext(Seed, picked.Select(r => Indices[r]).ToArray(), stream, shared,
            picked.Select(r => positions[r]).ToArray(), draw);
    }

    /// <summary>Uniform (0, 1) values of the given shape (shape[0] = rows); one draw.</summary>
    public Tensor Uniform(long[] shape, ScalarType dtype = ScalarType.Float32)
    {
        if (shape.Length == 0 || shape[0] != Rows)
            throw new ArgumentException($"the first dimension must be the {Rows} rows", nameof(shape));
        using var scope = NewDisposeScope();
        var perRow = shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        var d = (ulong)draw++;
        var keys = Indices.Select(i => CounterRng.Key(Seed, unchecked((ulong)i), stream, d)).ToArray();
        return CounterRng.Uniform(keys, perRow).reshape(shape).to_type(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The values <see cref="Uniform"/>([<see cref="Rows"/>, perRow], Float64) would hold, row-major in a C#
    /// array (one draw): for small draws consumed element by element (Square's window positions and signs), without
    /// the tensor ops.</summary>
    public double[] UniformValues(long perRow)
    {
        var d = (ulong)draw++;
        var values = new double[Rows * perRow];
        for (var r = 0; r < Rows; r++)
        {
            var key = CounterRng.Key(Seed, unchecked((ulong)Indices[r]), stream, d);
            for (var j = 0L; j < perRow; j++) values[r * perRow + j] = CounterRng.UniformAt(key, j);
        }
        return values;
    }

    /// <summary>Standard normal values (Box–Muller: √(−2 ln u₁)·cos 2πu₂); two draws.</summary>
    public Tensor Normal(long[] shape, ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var u1 = Uniform(shape, ScalarType.Float64);
        var u2 = Uniform(shape, ScalarType.Float64);
        return (u1.log().mul_(-2).sqrt_() * (u2 * (2 * Math.PI)).cos_()).to_type(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>±1 at random (float32) of the given shape (shape[0] = rows); one draw.</summary>
    public Tensor Signs(long[] shape)
    {
        using var scope = NewDisposeScope();
        return Uniform(shape).lt(0.5).to_type(ScalarType.Float32).mul_(2).sub_(1).MoveToOuterDisposeScope();
    }

    /// <summary>Uniform integers in [low, high) of shape [rows]; one draw.</summary>
    public Tensor Integers(long low, long high)
    {
        using var scope = NewDisposeScope();
        var u = Uniform([Rows], ScalarType.Float64);
        return u.mul_(high - low).floor_().clamp_max_(high - low - 1).add_(low).to_type(ScalarType.Int64)
            .MoveToOuterDisposeScope();
    }

    /// <summary>Counts k gradient evaluations (forward + backward) for every row of this context; inside an
    /// <see cref="Expectation"/> each counts once per draw.</summary>
    /// Every iterative attack counts each step's evaluations here, so SIGINT/SIGTERM are honoured within one step.
    public void CountGradients(long k = 1)
    {
        Interruption.ThrowIfRequested(() => Interruption.InsideAStep);
        foreach (var p in positions) shared.Gradients[p] += k * Expectation.Draws;
        Tell(k * Expectation.Draws * positions.Length);
    }

    /// <summary>Counts k forward-only queries for every row of this context.</summary>
    public void CountQueries(long k = 1)
    {
        Interruption.ThrowIfRequested(() => Interruption.InsideAStep);
        foreach (var p in positions) shared.Queries[p] += k;
        Tell(k * positions.Length);
    }

    /// <summary>Who watches the work of this batch (a progress bar), or null. Every count of gradients or queries
    /// and every <see cref="Enter"/> is reported to it, on the attacking thread.</summary>
    public IProgress<AttackStep>? Progress
    {
        get => shared.Progress;
        set => shared.Progress = value;
    }

    /// <summary>Gradient evaluations plus queries counted so far over every row of the batch.</summary>
    public long Work => shared.Work;

    /// <summary>Says that part <paramref name="index"/> of <paramref name="count"/> (a cascade's stage, a target of a
    /// sweep) starts on this context's rows; <paramref name="level"/> 0 is the outer part, 1 a part inside it.</summary>
    public void Enter(string name, int index, int count, int level = 0)
    {
        if (shared.Progress is null) return;
        var part = new AttackPart(name, index, count, Rows, shared.Work);
        shared.Parts = level == 0 ? [part] : [.. shared.Parts.Take(level), part];
        shared.Progress.Report(new AttackStep(shared.Work, shared.Parts));
    }

    private void Tell(long work)
    {
        shared.Work += work;
        shared.Progress?.Report(new AttackStep(shared.Work, shared.Parts));
    }

    /// <summary>Gradient evaluations counted so far for each row of this context (in its row order).</summary>
    public long[] RowGradients() => positions.Select(p => shared.Gradients[p]).ToArray();

    /// <summary>Forward-only queries counted so far for each row of this context (in its row order).</summary>
    public long[] RowQueries() => positions.Select(p => shared.Queries[p]).ToArray();

    /// <summary>Gradient evaluations per row of the original batch.</summary>
    public long[] GradientCounts => shared.Gradients;

    /// <summary>Forward-only queries per row of the original batch.</summary>
    public long[] QueryCounts => shared.Queries;

    /// <summary>
    /// ∇ₓ of the goal's cross-entropy at the clean batch x, computed once per (batch, goal) and shared by every
    /// single-step attack of the batch; counted as one gradient evaluation when computed. Only the whole batch
    /// shares it (a subset of rows computes its own).
    /// </summary>
    public Tensor InputGradient(Classifier model, Tensor x, AttackGoal goal)
    {
        var whole = positions.Length == shared.Gradients.Length && x.shape[0] == Rows;
        if (whole && shared.Gradient is { } cached && ReferenceEquals(shared.GradientGoal, goal) &&
            shared.GradientDraws == Expectation.Draws) return cached.alias();
        var g = Gradients.CrossEntropy(model, x, goal);
        CountGradients();
        if (!whole) return g;
        shared.Gradient?.Dispose();
        shared.Gradient = g.detach().clone().DetachFromDisposeScope();
        shared.GradientGoal = goal;
        shared.GradientDraws = Expectation.Draws;
        return g;
    }

    public void Dispose() => shared.Gradient?.Dispose();

    private sealed class Shared(int rows)
    {
        public long[] Gradients { get; } = new long[rows];
        public long[] Queries { get; } = new long[rows];
        public Tensor? Gradient { get; set; }
        public AttackGoal? GradientGoal { get; set; }
        public int GradientDraws { get; set; }
        public IProgress<AttackStep>? Progress { get; set; }
        public long Work { get; set; }
        public AttackPart[] Parts { get; set; } = [];
    }
}
