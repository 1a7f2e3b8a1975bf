namespace Advex.Tests.Support;

using System.Runtime.CompilerServices;

/// <summary>The test host runs with a large generation-0 budget (Advex.Tests.runsettings explains why); the runtime
/// read it at start, so it is taken out of the environment here and every CLI child the tests start measures its
/// memory with the default budget, as a user's process would.</summary>
internal static class ChildGcBudget
{
    internal const string Variable = "DOTNET_GCgen0size";

#pragma warning disable CA2255 // the test assembly's own initializer
    /// <summary>The budget the host was started with (null when the runsettings were not used).</summary>
    internal static string? HostBudget { get; private set; }

    [ModuleInitializer]
    internal static void OnLoad()
    {
        HostBudget = Environment.GetEnvironmentVariable(Variable);
        Environment.SetEnvironmentVariable(Variable, null);
    }
#pragma warning restore CA2255
}
