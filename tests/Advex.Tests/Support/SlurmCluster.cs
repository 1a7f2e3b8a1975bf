namespace Advex.Tests.Support;

/// <summary>
/// One <see cref="SingleNodeSlurm"/> shared by the tests of the "slurm" collection, brought up by the first test that
/// asks for it (so a test skipped for a missing package starts nothing) and stopped when the collection ends.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    private readonly Lazy<SingleNodeSlurm> slurm = new(SingleNodeSlurm.Start);

    public SingleNodeSlurm Get() => slurm.Value;

    public void Dispose()
    {
        if (slurm.IsValueCreated) slurm.Value.Dispose();
    }
}

[CollectionDefinition("slurm")]
public sealed class SlurmCollection : ICollectionFixture<SlurmCluster>;
