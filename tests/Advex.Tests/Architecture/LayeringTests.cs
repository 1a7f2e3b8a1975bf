namespace Advex.Tests.Architecture;

using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

/// <summary>
/// Dependencies point one way (DESIGN §3): IO, Native, validation and the root namespace ← Data ← Models ← Attacks ←
/// Training/Defenses/Generative/Text ← Evaluation ← Reporting ← Workflows ← Cli. No namespace may depend on one of a
/// higher layer, and no two top-level namespaces (with their sub-namespaces) depend on each other in a cycle.
/// </summary>
public sealed class LayeringTests
{
    private static readonly ArchUnitNET.Domain.Architecture Advex = new ArchLoader()
        .LoadAssemblies(typeof(AdvexException).Assembly, typeof(global::Advex.Cli.Cli).Assembly)
        .Build();

    /// <summary>The layers, bottom first; each is a set of namespaces (and those below them, except the root).</summary>
    public static readonly string[][] Layers =
    [
        ["Advex", "Advex.IO", "Advex.Native", "Advex.Validation"],
        ["Advex.Data"],
        ["Advex.Models"],
        ["Advex.Attacks"],
        ["Advex.Training", "Advex.Defenses", "Advex.Generative", "Advex.Text"],
        ["Advex.Evaluation"],
        ["Advex.Reporting"],
        ["Advex.Workflows"],
        ["Advex.Cli"],
    ];

    private static IObjectProvider<IType> Layer(int i)
    {
        var names = Layers[i];
        var types = Types().That().ResideInNamespace(names[0]);
        foreach (var n in names.Skip(1)) types = types.Or().ResideInNamespaceOrBelow(n);
        if (names[0] != "Advex") types = types.Or().ResideInNamespaceOrBelow(names[0]);
        return types.As(string.Join("/", names));
    }

    private static IObjectProvider<IType> Above(int i)
    {
        var names = Layers.Skip(i + 1).SelectMany(l => l).ToList();
        var types = Types().That().ResideInNamespaceOrBelow(names[0]);
        foreach (var n in names.Skip(1)) types = types.Or().ResideInNamespaceOrBelow(n);
        return types.As("layers above " + string.Join("/", Layers[i]));
    }

    public static TheoryData<int> LowerLayers()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < Layers.Length - 1; i++) data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(LowerLayers))]
    public void A_layer_never_depends_on_a_layer_above_it(int layer) =>
        Types().That().Are(Layer(layer)).Should().NotDependOnAny(Above(layer)).Check(Advex);

    [Fact]
    public void Top_level_namespaces_form_no_cycle()
    {
        // Advex.X and its sub-namespaces are one node; an edge X → Y is a type of X using a type of Y
        static string? Node(IType t) => t.Namespace?.FullName is not { } ns ? null : ns.Split('.') is ["Advex", var top, ..] ? top : null;
        var edges = Advex.Types
            .SelectMany(t => t.Dependencies.Select(d => (From: Node(t), To: Node(d.Target))))
            .Where(e => e.From != null && e.To != null && e.From != e.To)
            .Distinct()
            .GroupBy(e => e.From!, e => e.To!)
            .ToDictionary(g => g.Key, g => g.ToList());
        var done = new HashSet<string>();
        var path = new List<string>();
        void Visit(string n)
        {
            if (path.Contains(n)) Assert.Fail($"namespace cycle: {string.Join(" -> ", path.SkipWhile(p => p != n).Append(n))}");
            if (!done.Add(n)) return;
            path.Add(n);
            foreach (var m in edges.GetValueOrDefault(n, [])) Visit(m);
            path.RemoveAt(path.Count - 1);
        }
        foreach (var n in edges.Keys.Order(StringComparer.Ordinal)) Visit(n);
    }

    [Fact]
    public void Every_layer_holds_types_so_no_rule_is_vacuous()
    {
        for (var i = 0; i < Layers.Length; i++)
            foreach (var ns in Layers[i])
                Assert.True(Advex.Types.Any(t => t.Namespace.FullName == ns || t.Namespace.FullName.StartsWith(ns + ".", StringComparison.Ordinal)),
                    $"no type in namespace {ns}");
    }
}
