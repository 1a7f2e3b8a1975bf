namespace Advex.Attacks.Patch;

/// <summary>
/// The attack settings an adversarial patch reads, through a <see cref="SettingsReader"/> as the registry's attacks
/// do: only the learning rate of its Adam (default 0.05); any other setting given is refused by name
/// (<see cref="AttackSettings.RequireUsed"/>) instead of being silently ignored.
/// </summary>
public static class PatchSettings
{
    public static double Lr(AttackSettings settings)
    {
        var reader = new SettingsReader(settings);
        var lr = reader.Lr ?? 0.05;
        settings.RequireUsed(["patch"], reader.Read);
        return lr;
    }
}
