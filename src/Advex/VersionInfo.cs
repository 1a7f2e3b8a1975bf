namespace Advex;

using System.Reflection;

/// <summary>Versions recorded in manifests, JSON results and reports.</summary>
public static class VersionInfo
{
    public static string Advex { get; } =
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "0.0.0";

    public static string TorchSharp { get; } = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "?";
}
