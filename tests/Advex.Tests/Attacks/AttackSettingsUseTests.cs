namespace Advex.Tests.Attacks;

using Advex.Attacks;

/// <summary>
/// A setting that none of the chosen attacks reads is refused by name (issue 26: <c>--attack fgsm --steps 40</c> was
/// silently ignored). What an attack reads is recorded while the registry builds it, so the rule holds for every
/// registered attack without a hand-kept list.
/// </summary>
public sealed class AttackSettingsUseTests
{
    [Fact]
    public void The_reader_covers_every_attack_setting()
    {
        var reader = typeof(SettingsReader).GetProperties().Where(p => p.Name != nameof(SettingsReader.Read))
            .ToDictionary(p => p.Name, p => p.PropertyType);
        var settings = typeof(AttackSettings).GetProperties().ToDictionary(p => p.Name, p => p.PropertyType);
        Assert.Equal(settings.OrderBy(kv => kv.Key), reader.OrderBy(kv => kv.Key));
    }

    [Fact]
    public void Fgsm_with_steps_is_refused_naming_the_setting_and_the_attack()
    {
        var e = Assert.Throws<AdvexException>(() => AttackSweep.Build(["fgsm"], [0.1], new AttackSettings { Steps = 40 }));
        Assert.Equal("steps does not apply to fgsm, which takes no attack option", e.Message);
        Assert.Contains("steps", e.Parameters);
    }

    [Fact]
    public void A_setting_one_attack_of_the_sweep_reads_is_accepted()
    {
        var attacks = AttackSweep.Build(["fgsm", "pgd"], [0.1, 0.2], new AttackSettings { Steps = 7 });
        Assert.Equal(7, Assert.IsType<Pgd>(attacks[2]).Steps);
    }

    [Fact]
    public void The_refusal_lists_what_the_attacks_take_in_the_order_they_read_it()
    {
        var e = Assert.Throws<AdvexException>(() =>
            AttackSweep.Build(["pgd"], [0.1], new AttackSettings { C = 1, Momentum = 0.9 }));
        Assert.Equal("momentum, c do not apply to pgd, which takes norm, steps, step-size, random-start, restarts", e.Message);
    }

    [Fact]
    public void Every_registered_attack_is_refused_exactly_the_settings_it_does_not_read()
    {
        var properties = typeof(AttackSettings).GetProperties();
        foreach (var name in AttackRegistry.Names)
        {
            var reader = new SettingsReader(new AttackSettings());
            try { AttackRegistry.Create(name, 0.1, reader); }
            catch (AdvexException) { } // advgan and universal need a file: what they read before is recorded
            Assert.Contains("eot", reader.Read); // applies to every attack and is checked when it runs
            // every setting given: the refusal names exactly those this attack never read
            var all = new AttackSettings();
            foreach (var p in properties) p.SetValue(all, Some(p.PropertyType));
            var unread = properties.Select(p => AttackSettings.ParameterName(p.Name)).Where(n => !reader.Read.Contains(n)).ToList();
            if (unread.Count == 0) { all.RequireUsed([name], reader.Read); continue; }
            var e = Assert.Throws<AdvexException>(() => all.RequireUsed([name], reader.Read));
            Assert.StartsWith($"{string.Join(", ", unread)} {(unread.Count == 1 ? "does" : "do")} not apply to {name}", e.Message);
            // only the settings it reads: accepted
            var used = new AttackSettings();
            foreach (var p in properties.Where(p => reader.Read.Contains(AttackSettings.ParameterName(p.Name))))
                p.SetValue(used, Some(p.PropertyType));
            used.RequireUsed([name], reader.Read);
        }
    }

    private static object Some(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(string) ? "x" : t == typeof(int) ? 1 : t == typeof(double) ? 1.0 : t == typeof(bool) ? true
            : t.IsEnum ? Enum.GetValues(t).GetValue(0)! : throw new InvalidOperationException($"no sample value of {t}");
    }
}
