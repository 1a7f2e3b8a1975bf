namespace Advex.Tests.Cli;

using System.IO.Compression;
using System.Net.Sockets;
using Advex.Data;
using Advex.IO;
using Advex.Models;
using Advex.Tests.Support;

/// <summary>
/// Prepares a bad-input case's folder from its setup, a ';'-separated list of steps:
/// <c>file:NAME</c>, <c>dir:NAME</c>, <c>fifo:NAME</c>, <c>socket:NAME</c>, <c>link:NAME=TARGET</c>,
/// <c>hardlink:NAME=TARGET</c> (TARGET relative to the case's folder),
/// <c>garbage:NAME</c> (random bytes), <c>json:NAME=TEXT</c>, <c>idx:NAME=MUTATION</c> (a copy of the small IDX
/// fixture, then corrupted), <c>native:NAME=MUTATION</c> (a native LeNet model folder, then corrupted),
/// <c>onnx-op:NAME=OP</c> (a one-node ONNX graph, opset 13, whose node 'node0' is OP),
/// <c>images:NAME=MUTATION</c> (a copy of the cifar-png test folder, then damaged), <c>cifar10:NAME=MUTATION</c> (a
/// copy of the CIFAR-10 fixture, then damaged) and
/// <c>copy:NAME=FIXTURE</c> (a fixture file, by its path under tests/fixtures, copied over NAME) and
/// <c>lock:NAME</c> (the folder is held by another writer for the duration of the case).
/// </summary>
public sealed class BadInputSetup : IDisposable
{
    private readonly List<IDisposable> held = [];

    public static string Expand(string arg, string dir) => arg
        .Replace("{dir}", dir)
        .Replace("{lenet}", Path.Combine(Paths.TorchScript, "lenet.pt"))
        .Replace("{bad_output}", Path.Combine(Paths.TorchScript, "bad_output.pt"))
        .Replace("{cnn_onnx}", Path.Combine(Paths.Fixtures, "onnx", "cnn.onnx"))
        .Replace("{lenet_onnx}", Path.Combine(Paths.Fixtures, "onnx", "lenet.onnx"))
        .Replace("{cnn_pt}", Path.Combine(Paths.Fixtures, "onnx", "cnn.pt"))
        .Replace("{resnet18_pth}", Path.Combine(Paths.Fixtures, "checkpoints", "resnet18.pth"))
        .Replace("{lenet_pth}", Path.Combine(Paths.Fixtures, "checkpoints", "lenet.pth"))
        .Replace("{two_models_pth}", Path.Combine(Paths.Fixtures, "checkpoints", "lenet_two_models.pth"))
        .Replace("{cifar10}", Path.Combine(Paths.Fixtures, "cifar10"))
        .Replace("{cifar_png}", Path.Combine(Paths.Fixtures, "images", "cifar-png"))
        .Replace("{photos}", Path.Combine(Paths.Fixtures, "images", "photos"))
        .Replace("{hostile}", Path.Combine(Paths.Fixtures, "hostile"))
        .Replace("{flat_photos}", Path.Combine(Paths.Fixtures, "photos"))
        .Replace("{idx}", Paths.IdxSmall);

    public static BadInputSetup Prepare(string dir, string setup)
    {
        var s = new BadInputSetup();
        foreach (var step in setup.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (step == "none") continue;
            var (kind, rest) = (step[..step.IndexOf(':')], step[(step.IndexOf(':') + 1)..]);
            var (name, value) = rest.Contains('=') ? (rest[..rest.IndexOf('=')], rest[(rest.IndexOf('=') + 1)..]) : (rest, "");
            var path = Path.Combine(dir, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            switch (kind)
            {
                case "file": File.WriteAllText(path, "x\n"); break;
                case "dir": Directory.CreateDirectory(path); break;
                case "fifo": Mkfifo(path); break;
                case "socket": s.held.Add(Socket(path)); break;
                case "link": File.CreateSymbolicLink(path, value); break;
                case "hardlink": Run("ln", Path.Combine(dir, value), path); break;
                case "garbage": File.WriteAllBytes(path, Garbage(4096)); break;
                case "json": File.WriteAllText(path, value); break;
                case "idx": IdxFolder(path, value); break;
                case "native": Native(path, value); break;
                case "onnx-op": File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(
                    Models.Onnx.OnnxGraphs.SingleNode(value, 13))); break;
                case "images": ImagesFolder(path, value); break;
                case "cifar10": Cifar10Folder(path, value); break;
                case "copy": File.Copy(Path.Combine(Paths.Fixtures, value), path, overwrite: true); break;
                case "lock": s.held.Add(RunLock.Acquire(path, "advex train (held by the test)")); break;
                default: throw new ArgumentException($"unknown setup step '{step}'");
            }
        }
        return s;
    }

    /// <summary>Releases held locks and sockets before the folder is compared with its snapshot.</summary>
    public void Release()
    {
        foreach (var h in held) h.Dispose();
        held.Clear();
    }

    public void Dispose() => Release();

    private static byte[] Garbage(int n)
    {
        var bytes = new byte[n];
        new Random(n).NextBytes(bytes);
        return bytes;
    }

    private static void Run(string program, params string[] args)
    {
        using var p = System.Diagnostics.Process.Start(program, args);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new IOException($"{program} {string.Join(' ', args)} failed");
    }

    private static void Mkfifo(string path)
    {
        var p = System.Diagnostics.Process.Start("mkfifo", [path]);
        p.WaitForExit();
        if (p.ExitCode != 0) throw new IOException($"mkfifo {path} failed");
    }

    private static Socket Socket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    private static void IdxFolder(string dir, string mutation)
    {
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Paths.IdxSmall)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        string P(string split, string what) => Path.Combine(dir, $"{split}-{what}-idx{(what == "images" ? 3 : 1)}-ubyte.gz");
        void SetLabel(string split, int sample, byte value)
        {
            var labels = Advex.Data.Idx.Read(P(split, "labels"), 1);
            labels.Data[sample] = value;
            Advex.Data.Idx.Write(P(split, "labels"), labels);
        }
        switch (mutation)
        {
            case "copy": break;
            case "test-label-200": SetLabel("t10k", 3, 200); break;
            case "train-label-99": SetLabel("train", 3, 99); SetLabel("t10k", 3, 99); break;
            case "truncated":
            {
                var images = Advex.Data.Idx.Read(P("t10k", "images"), 3);
                File.Delete(P("t10k", "images"));
                var raw = Path.Combine(dir, "t10k-images-idx3-ubyte");
                Advex.Data.Idx.Write(raw, images);
                File.WriteAllBytes(raw, File.ReadAllBytes(raw)[..^100]);
                break;
            }
            case "magic":
                File.Delete(P("t10k", "labels"));
                File.WriteAllBytes(Path.Combine(dir, "t10k-labels-idx1-ubyte"), [0, 0, 9, 1, 0, 0, 0, 1, 3]);
                break;
            case "count":
            {
                var labels = Advex.Data.Idx.Read(P("t10k", "labels"), 1);
                Advex.Data.Idx.Write(P("t10k", "labels"), new IdxArray([150], labels.Data[..150]));
                break;
            }
            case "missing-labels": File.Delete(P("t10k", "labels")); break;
            case "no-test-images": File.Delete(P("t10k", "images")); break;
            case "huge-dims": // a raw test image file whose header declares 2^31-1 × 2^31-1 × 2^31-1 bytes
                File.Delete(P("t10k", "images"));
                File.WriteAllBytes(Path.Combine(dir, "t10k-images-idx3-ubyte"),
                    [0, 0, 8, 3, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 0x7f, 0xff, 0xff, 0xff, 1, 2, 3]);
                break;
            case "gzip-bomb": // the test images' header, then 64 MB of zeros past it, gzipped to ~64 KB
            {
                var images = Advex.Data.Idx.Read(P("t10k", "images"), 3);
                using var file = File.Create(P("t10k", "images"));
                using var gz = new GZipStream(file, CompressionLevel.Optimal);
                gz.Write([0, 0, 8, 3]);
                foreach (var d in images.Dims) gz.Write(BitConverter.GetBytes(d).Reverse().ToArray());
                gz.Write(images.Data);
                var zeros = new byte[1 << 20];
                for (var i = 0; i < 64; i++) gz.Write(zeros);
                break;
            }
            case "bad-gzip":
            {
                var bytes = File.ReadAllBytes(P("t10k", "images"));
                for (var i = 20; i < bytes.Length; i += 7) bytes[i] ^= 0x5a;
                File.WriteAllBytes(P("t10k", "images"), bytes);
                break;
            }
            case "tiny-images":
                foreach (var split in new[] { "train", "t10k" })
                {
                    var images = Advex.Data.Idx.Read(P(split, "images"), 3);
                    var small = new byte[images.Count * 64];
                    Advex.Data.Idx.Write(P(split, "images"), new IdxArray([images.Count, 8, 8], small));
                }
                break;
            default: throw new ArgumentException($"unknown idx mutation '{mutation}'");
        }
    }

    private static void ImagesFolder(string dir, string mutation)
    {
        var source = Path.Combine(Paths.Fixtures, "images", "cifar-png", "test");
        foreach (var cls in Directory.GetDirectories(source))
        {
            var to = Path.Combine(dir, Path.GetFileName(cls));
            Directory.CreateDirectory(to);
            foreach (var f in Directory.GetFiles(cls)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        }
        var png = Path.Combine(dir, "cat", "001.png");
        switch (mutation)
        {
            case "corrupt-png": File.WriteAllBytes(png, File.ReadAllBytes(png)[..200]); break;
            case "garbage-png": File.WriteAllBytes(png, Garbage(2048)); break;
            case "corrupt-jpeg":
                var jpeg = File.ReadAllBytes(Path.Combine(Paths.Fixtures, "images", "photos", "cat", "b.jpg"));
                File.WriteAllBytes(Path.Combine(dir, "cat", "002.jpg"), jpeg[..(jpeg.Length / 2)]);
                break;
            case "empty-class": Directory.CreateDirectory(Path.Combine(dir, "zebra")); break;
            case "copy": break;
            default: throw new ArgumentException($"unknown images mutation '{mutation}'");
        }
    }

    private static void Cifar10Folder(string dir, string mutation)
    {
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(Path.Combine(Paths.Fixtures, "cifar10"))) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        var test = Path.Combine(dir, "test_batch.bin");
        switch (mutation)
        {
            case "truncated": File.WriteAllBytes(test, File.ReadAllBytes(test)[..^1000]); break;
            case "no-test": File.Delete(test); break;
            case "empty-test": File.WriteAllBytes(test, []); break;
            case "no-names": File.Delete(Path.Combine(dir, "batches.meta.txt")); break;
            case "copy": break;
            default: throw new ArgumentException($"unknown cifar10 mutation '{mutation}'");
        }
    }

    private static void Native(string dir, string mutation)
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        using (var model = new Classifier(Architectures.Create("lenet", [1, 28, 28], 10), [1, 28, 28], 10, architecture: "lenet"))
            ModelStore.Save(model, dir, ModelStore.ManifestFor(model));
        var manifest = Path.Combine(dir, ModelStore.ManifestName);
        var json = File.ReadAllText(manifest);
        switch (mutation)
        {
            case "copy": break;
            case "weights-outside": File.WriteAllText(manifest, json.Replace("\"model.bin\"", "\"../../../../etc/passwd\"")); break;
            case "weights-missing": File.Delete(Path.Combine(dir, ModelStore.WeightsName)); break;
            case "weights-garbage": File.WriteAllBytes(Path.Combine(dir, ModelStore.WeightsName), Garbage(1000)); break;
            case "manifest-garbage": File.WriteAllText(manifest, "{ not json"); break;
            case "manifest-format": File.WriteAllText(manifest, json.Replace("\"advex-model/1\"", "\"advex-model/99\"")); break;
            case "manifest-arch": File.WriteAllText(manifest, json.Replace("\"lenet\"", "\"resnet9000\"")); break;
            case "bin-only":
                File.Delete(manifest);
                File.Move(Path.Combine(dir, ModelStore.WeightsName), Path.Combine(dir, "random.bin"));
                break;
            case "other-bin": File.WriteAllBytes(Path.Combine(dir, "random.bin"), Garbage(100)); break;
            default: throw new ArgumentException($"unknown native mutation '{mutation}'");
        }
    }
}
