namespace Advex.Tests.Docs;

using Advex.Attacks;
using Advex.Data;
using Advex.Defenses;
using Advex.Models;
using Advex.Tests.Attacks;
using Advex.Tests.Data;
using Advex.Tests.Defenses;
using Advex.Tests.Models;
using Advex.Tests.Support;

/// <summary>docs/extending.md names every registry, its entry type and its contract suite, so the page that says
/// where to add an extension cannot silently point at a renamed file.</summary>
public sealed class RegistryDocTests
{
    [Fact]
    public void Extending_page_names_every_registry_entry_type_and_contract_suite()
    {
        var page = File.ReadAllText(Path.Combine(Paths.Root, "docs", "extending.md"));
        Type[] named =
        [
            typeof(AttackRegistry), typeof(AttackContractTests),
            typeof(TrainingMethodRegistry), typeof(TrainingMethod), typeof(TrainingMethodContractTests),
            typeof(DataSpecRegistry), typeof(DataSpec), typeof(DataSpecContractTests),
            typeof(ModelFormatRegistry), typeof(ModelFormat), typeof(ModelFormatContractTests),
            typeof(Advex.Models.Checkpoints.CheckpointArchitectures), typeof(Advex.Models.Checkpoints.CheckpointArchitecture),
            typeof(Advex.Tests.Models.Checkpoints.CheckpointTests),
            typeof(Architectures), typeof(NativeArchitecture), typeof(ArchitectureTests),
        ];
        Assert.All(named, t => Assert.Contains(t.Name, page));
    }
}
