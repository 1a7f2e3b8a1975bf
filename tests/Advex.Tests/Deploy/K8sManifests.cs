namespace Advex.Tests.Deploy;

using System.Text.RegularExpressions;
using Advex.Tests.Support;
using k8s;
using k8s.Models;

/// <summary>
/// deploy/k8s read as Kubernetes objects with the <c>KubernetesClient</c> model types, strictly (an unknown or
/// misspelt field is an error), plus the image tag its Dockerfile documents.
/// </summary>
public sealed partial class K8sManifests
{
    public static string Dir => Path.Combine(Paths.Root, "deploy", "k8s");

    public K8sManifests()
    {
        foreach (var file in Directory.GetFiles(Dir, "*.yaml").Order())
            Objects.AddRange(KubernetesYaml.LoadAllFromString(File.ReadAllText(file), strict: true)
                .Select(o => (Path.GetFileName(file), o)));
        Claim = Objects.Select(o => o.Object).OfType<V1PersistentVolumeClaim>().Single();
        var jobs = Objects.Select(o => o.Object).OfType<V1Job>().ToList();
        Eval = jobs.Single(j => j.Spec.CompletionMode == "Indexed");
        Merge = jobs.Single(j => j != Eval);
        var tag = DockerTag().Match(File.ReadAllText(Path.Combine(Dir, "Dockerfile")));
        ImageTag = tag.Success ? tag.Groups[1].Value : throw new Xunit.Sdk.XunitException("the Dockerfile documents no `docker build ... -t TAG`");
    }

    public List<(string File, object Object)> Objects { get; } = [];
    public V1PersistentVolumeClaim Claim { get; }
    public V1Job Eval { get; }
    public V1Job Merge { get; }
    public string ImageTag { get; }

    public static V1Container Container(V1Job job) => Assert.Single(job.Spec.Template.Spec.Containers);

    /// <summary>Where a job's container mounts the shared claim.</summary>
    public string MountPath(V1Job job)
    {
        var volume = Assert.Single(job.Spec.Template.Spec.Volumes, v => v.PersistentVolumeClaim?.ClaimName == Claim.Metadata.Name);
        return Assert.Single(Container(job).VolumeMounts, m => m.Name == volume.Name).MountPath;
    }

    /// <summary>The value after <paramref name="option"/> in a container's command and arguments.</summary>
    public static string Option(V1Container container, string option)
    {
        var words = Words(container);
        var at = words.IndexOf(option);
        Assert.True(at >= 0 && at + 1 < words.Count, $"{option} with a value not in: {string.Join(' ', words)}");
        return words[at + 1];
    }

    public static List<string> Words(V1Container container) =>
        [.. container.Command ?? [], .. container.Args ?? []];

    [GeneratedRegex(@"docker build .*-t (\S+)")]
    private static partial Regex DockerTag();
}
