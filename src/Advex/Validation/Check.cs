namespace Advex.Validation;

/// <summary>Validation for options records: precise messages naming the parameter (listed in
/// <see cref="AdvexException.Parameters"/>), thrown at construction.</summary>
public static class Check
{
    public static double NonNegative(double value, string name) =>
        double.IsFinite(value) && value >= 0 ? value : throw AdvexException.About($"{name} must be a finite number >= 0 (got {value})", name);

    public static double Positive(double value, string name) =>
        double.IsFinite(value) && value > 0 ? value : throw AdvexException.About($"{name} must be a finite number > 0 (got {value})", name);

    public static int AtLeast(int value, int min, string name) =>
        value >= min ? value : throw AdvexException.About($"{name} must be >= {min} (got {value})", name);

    public static double InRange(double value, double lo, double hi, string name) =>
        double.IsFinite(value) && value >= lo && value <= hi
            ? value
            : throw AdvexException.About($"{name} must be in [{lo}, {hi}] (got {value})", name);

    /// <summary>A budget that may be +∞ (meaning "unbounded"), but never negative or NaN.</summary>
    public static double NonNegativeOrInfinity(double value, string name) =>
        !double.IsNaN(value) && value >= 0 && !double.IsNegativeInfinity(value)
            ? value
            : throw AdvexException.About($"{name} must be a number >= 0 or +infinity (got {value})", name);
}
