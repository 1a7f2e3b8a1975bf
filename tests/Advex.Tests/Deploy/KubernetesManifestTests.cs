namespace Advex.Tests.Deploy;

using System.Text.RegularExpressions;

/// <summary>
/// deploy/k8s: an Indexed Job whose pods each evaluate one shard into the shared volume, a merge Job that reads
/// every shard folder from that volume, the claim both mount, and the image the Dockerfile builds.
/// </summary>
public sealed class KubernetesManifestTests
{
    private readonly K8sManifests k8s = new();

    [Fact]
    public void Every_manifest_is_a_known_kubernetes_object_without_unknown_fields()
    {
        // strict loading already threw on an unknown field; here: one claim and two jobs, in the files named for them
        Assert.Equal(["eval-job.yaml", "merge-job.yaml", "pvc.yaml"], k8s.Objects.Select(o => o.File).Order());
        Assert.Contains("ReadWriteMany", k8s.Claim.Spec.AccessModes);
    }

    [Fact]
    public void The_eval_job_is_indexed_with_completions_parallelism_and_ADVEX_SHARDS_equal()
    {
        var spec = k8s.Eval.Spec;
        Assert.Equal("Indexed", spec.CompletionMode);
        var shards = int.Parse(Assert.Single(K8sManifests.Container(k8s.Eval).Env, e => e.Name == "ADVEX_SHARDS").Value);
        Assert.True(shards >= 2, $"ADVEX_SHARDS is {shards}");
        Assert.Equal(shards, spec.Completions);
        Assert.Equal(shards, spec.Parallelism);
    }

    [Fact]
    public void Each_shard_pod_runs_eval_with_shard_auto_and_resume_into_its_own_folder_on_the_shared_volume()
    {
        var container = K8sManifests.Container(k8s.Eval);
        var words = K8sManifests.Words(container);
        Assert.Equal(["advex", "eval"], words.Take(2));
        Assert.Equal("auto", K8sManifests.Option(container, "--shard"));
        Assert.Contains("--resume", words);
        var output = K8sManifests.Option(container, "--out");
        Assert.StartsWith(k8s.MountPath(k8s.Eval).TrimEnd('/') + "/", output);
        Assert.EndsWith("/shard-$(JOB_COMPLETION_INDEX)", output);
        Assert.Equal("1", Assert.Single(container.Env, e => e.Name == "OMP_NUM_THREADS").Value);
    }

    [Fact]
    public void The_merge_job_reads_every_shard_folder_from_the_same_volume_and_writes_beside_them()
    {
        var shards = k8s.Eval.Spec.Completions!.Value;
        var evalOut = K8sManifests.Option(K8sManifests.Container(k8s.Eval), "--out");
        // the same folder as the eval pods write, seen through the merge pod's own mount of the same claim
        var root = k8s.MountPath(k8s.Merge).TrimEnd('/') + evalOut[k8s.MountPath(k8s.Eval).TrimEnd('/').Length..]
            .Replace("/shard-$(JOB_COMPLETION_INDEX)", "");
        var merge = K8sManifests.Container(k8s.Merge);
        var words = K8sManifests.Words(merge);
        Assert.Equal(["advex", "merge"], words.Take(2));
        var inputs = words.Skip(2).TakeWhile(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, shards).Select(k => $"{root}/shard-{k}"), inputs);
        Assert.StartsWith(root + "/", K8sManifests.Option(merge, "--out"));
        Assert.DoesNotContain(K8sManifests.Option(merge, "--out"), inputs);
    }

    [Fact]
    public void Every_container_runs_the_image_the_Dockerfile_documents()
    {
        Assert.Matches(new Regex(@"^[a-z0-9./-]+:[\w.-]+$"), k8s.ImageTag);
        Assert.Equal(k8s.ImageTag, K8sManifests.Container(k8s.Eval).Image);
        Assert.Equal(k8s.ImageTag, K8sManifests.Container(k8s.Merge).Image);
    }

    [Fact]
    public void The_Dockerfile_builds_and_runs_on_one_distribution_so_the_libtorchsharp_patch_decision_holds()
    {
        // build/TorchSharpGlibcxxFix.targets patches libLibTorchSharp.so only where the build stage's libstdc++
        // lacks GLIBCXX_3.4.32, so the run stage must have the build stage's libstdc++.
        var text = File.ReadAllText(Path.Combine(K8sManifests.Dir, "Dockerfile"));
        var from = Regex.Matches(text, @"^FROM (\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, from.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", from[0]);
        Assert.StartsWith("mcr.microsoft.com/dotnet/runtime:", from[1]);
        Assert.Equal(from[0].Split(':')[1], from[1].Split(':')[1]);
        Assert.Contains("dotnet publish src/Advex.Cli", text);
        Assert.Contains("/usr/local/bin/advex", text);
    }
}
