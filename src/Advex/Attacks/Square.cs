namespace Advex.Attacks;

using Advex.Validation;
using Advex.Attacks.Core;
using Advex.Models;
using static TorchSharp.torch;

/// <summary>
/// Square Attack (Andriushchenko, Croce, Flammarion, Hein 2020), L∞ or L2, score-based black box: it reads the model's
/// logits and never its gradients, so gradient masking does not stop it (AutoAttack runs it for that reason).
/// It minimises the margin m = z_y − max_{k≠y} z_k (targeted: max_{k≠t} z_k − z_t); a sample is done once m &lt; 0.
/// <list type="number">
/// <item>Start: vertical stripes, δ = ±ε at random per (sample, channel, column); x = clip₀¹(x₀ + δ).</item>
/// <item>Query i: a square of side s_i = round(√(p_i·h·w)) (at least 1, at most h − 1) at a random position drawn
/// per sample (the paper's code shares one position across a batch; per sample, a result does not depend on the
/// batch it rides in); inside it each (sample, channel) takes +ε or −ε at random (if that would leave a sample's square
/// unchanged, the opposite signs); the candidate replaces the sample's point only if its margin is lower.</item>
/// <item>p_i starts at <see cref="PInit"/> and halves at 10, 50, 200, 500, 1000, 2000, 4000, 6000 and 8000 queries
/// out of 10,000 (the schedule is stretched to <see cref="Queries"/>).</item>
/// </list>
/// The L2 form (<see cref="SquareL2"/>) starts from a grid of opposite-signed decaying blocks and each query moves
/// the perturbation's mass on two random windows into one of them, keeping ‖δ‖₂ = ε; its squares have an odd side
/// of at least 3. Each query is one forward pass on the samples not yet broken.
/// </summary>
public sealed record Square : Attack
{
    private static readonly int[] Halvings = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000];

    public Square(double eps, int queries = 5000, double pInit = 0.8, Norm norm = Norm.Linf)
    {
        if (norm == Norm.L1) throw new AdvexException("square supports the norms linf and l2, not l1");
        Norm = norm;
        Eps = Check.NonNegative(eps, "eps");
        Queries = Check.AtLeast(queries, 1, "queries");
        PInit = Check.InRange(pInit, 1e-6, 1, "p-init");
    }

    public override string Name => "square";
    public override Norm Norm { get; }
    public override double Eps { get; }
    public int Queries { get; }
    public double PInit { get; }
    public override bool IsRandomized => true;
    public override bool NeedsGradients => false;

    public override IReadOnlyDictionary<string, object> Params => new Dictionary<string, object>
    {
        ["queries"] = Queries, ["p_init"] = PInit,
    };

    public override Attack WithEps(double eps) => new Square(eps, Queries, PInit, Norm);

    /// <summary>The fraction p_i of the image a square covers at query i.</summary>
    public double Fraction(int i)
    {
        var scaled = (int)((long)i * 10_000 / Queries);
        return PInit / Math.Pow(2, Halvings.Count(h => scaled > h));
    }

    protected override Tensor Perturb(Classifier model, Tensor x, AttackGoal goal, AttackContext context)
    {
        if (x.dim() != 4) throw new AdvexException($"square needs image batches [N, C, H, W] (got {x.dim()} dimensions)");
        using var outer = NewDisposeScope();
        var (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        var adv = Norm == Norm.L2
            ? SquareL2.Start(x, Eps, model.Lower, model.Upper, context)
            : (x + Eps * context.Signs([n, c, 1, w])).clamp(model.Lower, model.Upper);
        var margin = Losses.Margin(model.Logits(adv), goal.Classes, goal.IsTargeted);
        context.CountQueries();
        for (var i = 0; i < Queries; i++)
        {
            using var scope = NewDisposeScope();
            var active = margin.ge(0).nonzero().squeeze(1);
            if (active.numel() == 0) break;
            var whole = active.numel() == n; // no sample broken yet: no rows to pick
            var rows = whole ? context.Step(i) : context.Step(i).Select(active);
            var x0 = Iterates.Rows(x, active);
            var current = Iterates.Rows(adv, active);
            var candidate = Norm == Norm.L2
                ? SquareL2.Propose(x0, current, SquareL2.Side(Fraction(i), h, w), Eps, model.Lower, model.Upper, rows)
                : ProposeLinf(x0, current, Fraction(i), rows, model);
            var candidateMargin = Losses.Margin(model.Logits(candidate), Iterates.Rows(goal.Classes, active), goal.IsTargeted);
            rows.CountQueries();
            var improved = candidateMargin.lt(Iterates.Rows(margin, active));
            Tensor nextAdv, nextMargin;
            if (whole)
            {
                nextAdv = where(improved.view(-1, 1, 1, 1), candidate, adv);
                nextMargin = where(improved, candidateMargin, margin);
            }
            else
            {
                var taken = active.masked_select(improved);
                nextAdv = adv.index_copy(0, taken, candidate.index_select(0, improved.nonzero().squeeze(1)));
                nextMargin = margin.index_copy(0, taken, candidateMargin.masked_select(improved));
            }
            adv.Dispose();
            margin.Dispose();
            adv = nextAdv.MoveToOuterDisposeScope();
            margin = nextMargin.MoveToOuterDisposeScope();
        }
        return adv.MoveToOuterDisposeScope();
    }

    /// <summary>The L∞ proposal: one square of side round(√(p·h·w)) (in [1, h − 1]) set to x₀ ± ε per channel.</summary>
    private Tensor ProposeLinf(Tensor x0, Tensor current, double p, AttackContext rows, Classifier model)
    {
        var (c, h, w) = (x0.shape[1], x0.shape[2], x0.shape[3]);
        var side = (int)Math.Clamp(Math.Round(Math.Sqrt(p * h * w)), 1, Math.Max(1, h - 1));
        var window = WindowMask(h, w, side, rows);
        var signs = Signs(rows, c);
        var candidate = Replace(x0, current, window, signs, model);
        // unchanged: no pixel inside the square moved by 1e-7 or more (outside it nothing moves)
        var unchanged = (candidate - current).abs_().mul_(window).flatten(1).amax(1).lt(1e-7).reshape(-1, 1, 1, 1);
        if (!unchanged.any().item<bool>()) return candidate;
        return where(unchanged, Replace(x0, current, window, signs.neg(), model), candidate);
    }

    /// <summary>±1 per (row, channel), [k, c, 1, 1] float32: +1 where the row's uniform draw, rounded to float32, is
    /// below ½ (one draw, the values <see cref="AttackContext.Signs"/> gives, built without tensor ops).</summary>
    private static Tensor Signs(AttackContext rows, long c)
    {
        var u = rows.UniformValues(c);
        var signs = new float[u.Length];
        for (var i = 0; i < u.Length; i++) signs[i] = (float)u[i] < 0.5f ? 1f : -1f;
        return tensor(signs, [rows.Rows, c, 1, 1]);
    }

    /// <summary>x' with the square set to x₀ + ε·signs and the rest of δ kept, clipped to the box.</summary>
    private Tensor Replace(Tensor x0, Tensor current, Tensor window, Tensor signs, Classifier model) =>
        where(window, x0 + Eps * signs, current).clamp(model.Lower, model.Upper);

    /// <summary>A [k, 1, h, w] mask of a side × side square per row at a uniformly random position: top = ⌊u₀(h − side
    /// + 1)⌋ and left = ⌊u₁(w − side + 1)⌋ (at most h − side, w − side) from one draw of two uniforms per row, the
    /// mask written element by element (a query's few small tensor ops cost more than the loop).</summary>
    private static Tensor WindowMask(long h, long w, int side, AttackContext context)
    {
        var u = context.UniformValues(2);
        var mask = new bool[context.Rows * h * w];
        for (var r = 0; r < context.Rows; r++)
        {
            var top = (long)Math.Min(Math.Floor(u[2 * r] * (h - side + 1)), h - side);
            var left = (long)Math.Min(Math.Floor(u[2 * r + 1] * (w - side + 1)), w - side);
            for (var i = top; i < top + side; i++)
                Array.Fill(mask, true, (int)(r * h * w + i * w + left), side);
        }
        return tensor(mask, [context.Rows, 1, h, w]);
    }
}
