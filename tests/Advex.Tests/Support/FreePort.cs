namespace Advex.Tests.Support;

using System.Net;
using System.Net.Sockets;

/// <summary>A TCP port on the loopback interface that nothing listens on right now (the system picks it).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
