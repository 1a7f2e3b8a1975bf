namespace Advex.Evaluation.Smoothing;

/// <summary>
/// The special functions of randomized smoothing's certificate, in double precision and from their textbook series
/// (Abramowitz &amp; Stegun 6.1.41, 26.2.11, 26.5.8; Lentz's continued-fraction algorithm), with the inverses found
/// by bisection, which cannot miss on a monotone function. Checked against SciPy in
/// <c>tests/fixtures/reference/smoothing-special.json</c> (<c>scripts/reference_special_functions.py</c>).
/// </summary>
public static class SpecialFunctions
{
    private const double HalfLog2Pi = 0.91893853320467274178;

    /// <summary>ln Γ(x) for x &gt; 0: Stirling's series for x ≥ 10, the recurrence Γ(x) = Γ(x + k)/(x(x+1)…(x+k−1))
    /// below.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0)) throw new ArgumentOutOfRangeException(nameof(x), x, "ln Γ needs x > 0");
        var shift = 0.0;
        while (x < 10) { shift += Math.Log(x); x += 1; }
        var inv = 1 / x;
        var inv2 = inv * inv;
        var series = inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 - inv2 / 1188))));
        return (x - 0.5) * Math.Log(x) - x + HalfLog2Pi + series - shift;
    }

    /// <summary>
    /// The regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b), with its continued fraction
    /// (A&amp;S 26.5.8) evaluated on the side where it converges fast: I_x(a, b) = 1 − I_{1−x}(b, a).
    /// </summary>
    public static double RegularizedBeta(double x, double a, double b)
    {
        if (!(a > 0) || !(b > 0)) throw new ArgumentOutOfRangeException(nameof(a), $"I_x(a, b) needs a, b > 0 (got {a}, {b})");
        if (double.IsNaN(x)) return double.NaN;
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        return x < (a + 1) / (a + b + 2)
            ? Math.Exp(logFront) * BetaFraction(x, a, b) / a
            : 1 - Math.Exp(logFront) * BetaFraction(1 - x, b, a) / b;
    }

    /// <summary>The x in [0, 1] with I_x(a, b) = p (SciPy's <c>betaincinv</c>), by bisection to the last bit.</summary>
    public static double InverseRegularizedBeta(double p, double a, double b)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability must be in [0, 1]");
        if (p == 0) return 0;
        if (p == 1) return 1;
        return Bisect(x => RegularizedBeta(x, a, b), p, 0, 1);
    }

    /// <summary>Φ(x), the standard normal distribution function: the series Φ(x) = ½ + φ(x)·Σ x^(2k+1)/(1·3·…·(2k+1))
    /// (A&amp;S 26.2.11) for |x| &lt; 3, Laplace's continued fraction of the tail (A&amp;S 26.2.14) beyond.</summary>
    public static double NormalCdf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        var density = Math.Exp(-0.5 * x * x - HalfLog2Pi);
        if (Math.Abs(x) < 3)
        {
            double term = x, sum = x;
            for (var k = 1; k < 500 && Math.Abs(term) > 1e-17 * Math.Abs(sum); k++)
            {
                term *= x * x / (2 * k + 1);
                sum += term;
            }
            return 0.5 + density * sum;
        }
        var z = Math.Abs(x);
        // Q(z) = φ(z) / (z + 1/(z + 2/(z + 3/(z + …)))), evaluated backwards from a deep enough level
        var fraction = z;
        for (var k = 200; k >= 1; k--) fraction = z + k / fraction;
        var tail = density / fraction;
        return x > 0 ? 1 - tail : tail;
    }

    /// <summary>Φ⁻¹(p) (SciPy's <c>norm.ppf</c>), by bisection on Φ.</summary>
    public static double InverseNormalCdf(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "a probability must be in [0, 1]");
        if (p == 0) return double.NegativeInfinity;
        if (p == 1) return double.PositiveInfinity;
        return Bisect(NormalCdf, p, -40, 40);
    }

    /// <summary>The one-sided (1 − α) Clopper–Pearson lower confidence bound on a binomial proportion after k
    /// successes in n trials: the α quantile of Beta(k, n − k + 1), 0 when k = 0.</summary>
    public static double ClopperPearsonLower(long k, long n, double alpha)
    {
        if (n < 1 || k < 0 || k > n) throw new ArgumentOutOfRangeException(nameof(k), $"need 0 <= k <= n, n >= 1 (got k {k}, n {n})");
        return k == 0 ? 0 : InverseRegularizedBeta(alpha, k, n - k + 1);
    }

    /// <summary>Modified Lentz evaluation of the continued fraction of I_x(a, b) (A&amp;S 26.5.8).</summary>
    private static double BetaFraction(double x, double a, double b)
    {
        const double tiny = 1e-300;
        double c = 1, d = 1 - (a + b) * x / (a + 1);
        if (Math.Abs(d) < tiny) d = tiny;
        d = 1 / d;
        var h = d;
        for (var m = 1; m <= 100_000; m++)
        {
            var m2 = 2 * m;
            var even = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + even * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + even / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            var odd = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + odd * d; if (Math.Abs(d) < tiny) d = tiny;
            c = 1 + odd / c; if (Math.Abs(c) < tiny) c = tiny;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        return h;
    }

    /// <summary>The x in [lo, hi] where the increasing function f reaches p, halving until the interval cannot
    /// shrink in double precision.</summary>
    private static double Bisect(Func<double, double> f, double p, double lo, double hi)
    {
        for (var i = 0; i < 2000; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi) break;
            if (f(mid) < p) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }
}
