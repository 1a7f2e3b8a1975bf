namespace Advex.Attacks;

/// <summary>
/// The attacks of an ε sweep: for each name one attack per ε (bounded attacks) or one attack (minimisation attacks,
/// scored at every ε afterwards). Each bounded attack is built once by the registry and re-budgeted with
/// <see cref="Attack.WithEps"/>, so what it loaded (e.g. an AdvGAN generator) is shared by the whole sweep. A setting
/// that none of the attacks reads is an error, never silently ignored.
/// </summary>
public static class AttackSweep
{
    public static List<Attack> Build(IEnumerable<string> names, IReadOnlyList<double> eps, AttackSettings? settings = null)
    {
        var attacks = new List<Attack>();
        var given = settings ?? new AttackSettings();
        // one reader for the whole sweep: a setting that no attack of it reads is refused
        var reader = new SettingsReader(given);
        var list = names.ToList();
        foreach (var name in list)
        {
            if (!AttackRegistry.IsBounded(name))
            {
                attacks.Add(AttackRegistry.Create(name, double.PositiveInfinity, reader));
                continue;
            }
            if (eps.Count == 0) throw new AdvexException($"{name} needs at least one eps");
            var first = AttackRegistry.Create(name, eps[0], reader);
            attacks.Add(first);
            attacks.AddRange(eps.Skip(1).Select(e => first.WithEps(e).WithEotOf(first)));
        }
        given.RequireUsed(list, reader.Read);
        return attacks;
    }
}
