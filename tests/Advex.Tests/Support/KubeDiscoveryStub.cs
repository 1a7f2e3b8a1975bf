namespace Advex.Tests.Support;

using System.Net;
using System.Text;

/// <summary>
/// An HTTP endpoint that answers Kubernetes API discovery and nothing else: <c>/api</c>, <c>/apis</c> and the
/// resource lists of the kinds deploy/k8s uses (PersistentVolumeClaim in v1, Job in batch/v1). kubectl's client dry
/// run maps each object's kind to a resource through discovery before it prints the object, so without a cluster it
/// cannot run at all; pointed at this stub (<c>--server</c>) it parses and maps the manifests offline. It validates
/// nothing (that would need the server's OpenAPI schema): kubectl runs with <c>--validate=false</c>.
/// </summary>
public sealed class KubeDiscoveryStub : IDisposable
{
    private static readonly Dictionary<string, string> Documents = new()
    {
        ["/api"] = """{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""",
        ["/apis"] = """{"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"batch","versions":[{"groupVersion":"batch/v1","version":"v1"}],"preferredVersion":{"groupVersion":"batch/v1","version":"v1"}}]}""",
        ["/api/v1"] = """{"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"persistentvolumeclaims","singularName":"persistentvolumeclaim","namespaced":true,"kind":"PersistentVolumeClaim","verbs":["create","get","list"]}]}""",
        ["/apis/batch/v1"] = """{"kind":"APIResourceList","apiVersion":"v1","groupVersion":"batch/v1","resources":[{"name":"jobs","singularName":"job","namespaced":true,"kind":"Job","verbs":["create","get","list"]}]}""",
    };

    private readonly HttpListener listener = new();
    private readonly Task serving;

    public KubeDiscoveryStub()
    {
        var port = FreePort.Next();
        Url = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Url + "/");
        listener.Start();
        serving = Task.Run(Serve);
    }

    public string Url { get; }

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            var found = Documents.TryGetValue(context.Request.Url!.AbsolutePath, out var json);
            var body = Encoding.UTF8.GetBytes(found ? json! : "{}");
            context.Response.StatusCode = found ? 200 : 404;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        serving.Wait(TimeSpan.FromSeconds(5));
    }
}
