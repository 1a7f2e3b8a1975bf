namespace Advex.Tests.Support;

/// <summary>
/// Tests that need an optional Debian package (Fashion-MNIST, Chromium, later Slurm or ONNX's test data) call
/// <see cref="Require"/> first: where the package is missing the test is reported as skipped with the reason, and
/// where <c>ADVEX_REQUIRE_SYSTEM=1</c> (set by <c>.ci/run</c>, which installs them) it fails instead.
/// Such tests are <c>[SkippableFact]</c> or <c>[SkippableTheory]</c>.
/// </summary>
public static class SystemPackage
{
    public const string RequireVariable = "ADVEX_REQUIRE_SYSTEM";

    public static bool Required => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <param name="present">whether what the test needs is on this machine</param>
    /// <param name="what">what is missing, e.g. the path looked for</param>
    /// <param name="package">the Debian package that provides it</param>
    public static void Require(bool present, string what, string package)
    {
        if (present) return;
        var why = $"{what} not found (apt-get install {package})";
        if (Required) Assert.Fail($"{RequireVariable}=1 but {why}");
        Skip.If(true, why);
    }
}
