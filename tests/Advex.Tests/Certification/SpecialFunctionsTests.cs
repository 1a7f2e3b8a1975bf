namespace Advex.Tests.Certification;

using System.Text.Json;
using Advex.Evaluation.Smoothing;
using Advex.Tests.Support;

/// <summary>
/// The certificate's special functions against SciPy (tests/fixtures/reference/smoothing-special.json, written by
/// scripts/reference_special_functions.py): I_x(a, b), its inverse, the Clopper–Pearson lower bound, Φ and Φ⁻¹.
/// </summary>
public sealed class SpecialFunctionsTests
{
    private static readonly JsonElement Reference =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.Fixtures, "reference", "smoothing-special.json"))).RootElement;

    private static IEnumerable<JsonElement> Cases(string name) => Reference.GetProperty(name).EnumerateArray();

    private static void Close(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Abs(expected) + (expected == 0 ? 1e-15 : 0),
            $"{what}: expected {expected:R}, got {actual:R}");

    [Fact]
    public void Regularized_beta_matches_scipy_betainc()
    {
        foreach (var c in Cases("regularized_beta"))
        {
            var (x, a, b) = (c.GetProperty("x").GetDouble(), c.GetProperty("a").GetDouble(), c.GetProperty("b").GetDouble());
            var expected = c.GetProperty("value").GetDouble();
            var actual = SpecialFunctions.RegularizedBeta(x, a, b);
            // relative near 0, absolute near 1 (1 − tiny is all double can say there)
            Assert.True(Math.Abs(expected - actual) <= 1e-9 * expected + 1e-13, $"I_{x}({a}, {b}): expected {expected:R}, got {actual:R}");
        }
    }

    [Fact]
    public void Inverse_regularized_beta_matches_scipy_betaincinv()
    {
        foreach (var c in Cases("inverse_regularized_beta"))
        {
            var (p, a, b) = (c.GetProperty("p").GetDouble(), c.GetProperty("a").GetDouble(), c.GetProperty("b").GetDouble());
            Close(c.GetProperty("value").GetDouble(), SpecialFunctions.InverseRegularizedBeta(p, a, b), 1e-9, $"betaincinv({a}, {b}, {p})");
        }
    }

    [Fact]
    public void Clopper_pearson_lower_bound_matches_scipy_beta_ppf()
    {
        foreach (var c in Cases("clopper_pearson_lower"))
        {
            var (k, n, alpha) = (c.GetProperty("k").GetInt64(), c.GetProperty("n").GetInt64(), c.GetProperty("alpha").GetDouble());
            Close(c.GetProperty("lower").GetDouble(), SpecialFunctions.ClopperPearsonLower(k, n, alpha), 1e-9, $"CP({k}/{n}, α {alpha})");
        }
        Assert.Equal(0, SpecialFunctions.ClopperPearsonLower(0, 100, 0.001));
    }

    [Fact]
    public void Normal_cdf_and_its_inverse_match_scipy_norm()
    {
        foreach (var c in Cases("normal_cdf"))
            Close(c.GetProperty("cdf").GetDouble(), SpecialFunctions.NormalCdf(c.GetProperty("x").GetDouble()), 1e-12, $"Φ({c.GetProperty("x")})");
        foreach (var c in Cases("normal_ppf"))
            Close(c.GetProperty("ppf").GetDouble(), SpecialFunctions.InverseNormalCdf(c.GetProperty("p").GetDouble()), 1e-9, $"Φ⁻¹({c.GetProperty("p")})");
    }
}
