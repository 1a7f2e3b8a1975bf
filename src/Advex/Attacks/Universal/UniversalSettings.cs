namespace Advex.Attacks.Universal;

/// <summary>
/// A universal perturbation's <see cref="UniversalOptions"/> from the attack settings, read as the registry's attacks
/// read theirs (through a <see cref="SettingsReader"/>): DeepFool (Algorithm 1) reads norm, steps, overshoot and the
/// target fooling rate; sgd-UAP reads norm, step-size and beta (its loss clip). A setting the chosen method does not
/// read is refused by name (<see cref="AttackSettings.RequireUsed"/>) instead of being silently ignored.
/// </summary>
public static class UniversalSettings
{
    /// <param name="method">deepfool or sgd.</param>
    /// <param name="targetFoolingRate">DeepFool's stopping fooling rate when given (null: 0.8).</param>
    public static UniversalOptions Read(string method, double eps, AttackSettings settings, int passes, int batchSize,
        double? targetFoolingRate = null)
    {
        var kind = UniversalOptions.ParseMethod(method);
        var reader = new SettingsReader(settings);
        var norm = reader.Norm ?? Norm.Linf;
        var options = kind == UniversalMethod.DeepFool
            ? new UniversalOptions(kind, eps, norm, passes, reader.Steps ?? 50, reader.Overshoot ?? 0.02, targetFoolingRate ?? 0.8, batchSize)
            : new UniversalOptions(kind, eps, norm, passes, batchSize: batchSize, stepSize: reader.StepSize, beta: reader.Beta ?? 9);
        string[] own = kind == UniversalMethod.DeepFool ? ["fooling-target"] : [];
        settings.RequireUsed([$"universal {method}"], [.. reader.Read, .. own], targetFoolingRate is null ? [] : ["fooling-target"]);
        return options;
    }
}
