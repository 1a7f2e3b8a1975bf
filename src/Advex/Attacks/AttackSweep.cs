namespace Advex.Attacks;

/// <summary>
/// The attacks of an ε sweep: for each name one attack per ε (bounded attacks) or one attack (minimisation attacks,
/// scored at every ε afterwards). Each bounded attack is built once by the registry and re-budgeted with
/// <see cref="Attack.WithEps"/>, so what it loaded (e.g. an AdvGAN generator) is shared by the whole sweep.
/// </summary>
public static class AttackSweep
{
    public static List<Attack> Build(IEnumerable<string> names, IReadOnlyList<double> eps, AttackSettings? settings = null)
    {
        var attacks = new List<Attack>();
        foreach (var name in names)
        {
            if (!AttackRegistry.IsBounded(name))
            {
                attacks.Add(AttackRegistry.Create(name, double.PositiveInfinity, settings));
                continue;
            }
            if (eps.Count == 0) throw new AdvexException($"{name} needs at least one eps");
            var first = AttackRegistry.Create(name, eps[0], settings);
            attacks.Add(first);
            attacks.AddRange(eps.Skip(1).Select(e => first.WithEps(e).WithEotOf(first)));
        }
        return attacks;
    }
}
