Console.WriteLine(Advex.Native.TorchRuntime.EnsureLoaded());
Console.WriteLine(TorchSharp.torch.randn(2, 3).sum().item<float>());
