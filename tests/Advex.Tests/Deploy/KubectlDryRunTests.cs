namespace Advex.Tests.Deploy;

using Advex.Tests.Support;

/// <summary>
/// kubectl itself reads deploy/k8s (<c>kubectl create --dry-run=client</c>): the files parse, every object maps to a
/// resource, and kubectl prints each one back. There is no cluster: kubectl gets API discovery from
/// <see cref="KubeDiscoveryStub"/>, and runs with <c>--validate=false</c> because schema validation needs a real
/// server's OpenAPI document (the strict parse of <see cref="KubernetesManifestTests"/> checks field names instead).
/// </summary>
public sealed class KubectlDryRunTests
{
    [SkippableFact]
    public void Kubectl_client_dry_run_accepts_every_manifest()
    {
        var kubectl = HostProcess.Which("kubectl");
        SystemPackage.Require(kubectl is not null, "kubectl", "kubernetes-client");
        var home = Paths.TempDir();
        using var api = new KubeDiscoveryStub();

        var run = HostProcess.Run(kubectl!,
            ["create", "--dry-run=client", "--validate=false", $"--server={api.Url}", $"--cache-dir={home}/cache",
             "-f", K8sManifests.Dir, "-o", "name"],
            new Dictionary<string, string> { ["HOME"] = home, ["KUBECONFIG"] = Path.Combine(home, "no-config") },
            TimeSpan.FromMinutes(1));

        Assert.True(run.ExitCode == 0, $"kubectl: {run}");
        Assert.Equal(["job.batch/advex-eval", "job.batch/advex-merge", "persistentvolumeclaim/advex-work"],
            run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());
    }
}
