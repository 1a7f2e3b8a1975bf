#!/usr/bin/env python3
"""Generate the hostile-input fixtures of the bad-input corpus (tests/fixtures/hostile): crafted checkpoints, broken
TorchScript, a model whose logits are NaN, images whose headers claim huge sizes. Every file is a few KB at most.

Run from anywhere with Debian's PyTorch (python3-torch 1.13):

    /usr/bin/python3 scripts/make_hostile_fixtures.py

Outputs (tests/fixtures/hostile/):
  cyclic.pth            torch.save({'cyc': a}) where a = []; a.append(a): a list that contains itself
  bomb.pth              a shared-reference bomb x = [0], then 60 times x = [x, x] (2^60 paths, 61 lists), beside a
                        small state_dict {'w', 'b'}
  whole_model.pth       torch.save(model): a pickled nn.Module of class __main__.Tiny, not a state_dict
  evil.pth              {'x': an object whose __reduce__ calls os.system('touch pwned')}: must never run
  unknown_class.pth     {'state_dict': the small state_dict, 'cfg': __main__.Config(3)}: a class with arguments
  missing_storage.pth   the small state_dict with its archive entry data/1 removed
  huge_storage.pth      a storage whose persistent id declares 10^12 float values, holding 16 bytes
  view_beyond.pth       a tensor of shape [100000,100000] viewing a storage of 4 values
  truncated_pickle.pth  the small state_dict with data.pkl cut in half
  huge_header.safetensors   10 bytes: a header length of 2^31 and 2 bytes
  bad_offsets.safetensors   a tensor [1000,1000] F32 whose data_offsets lie past the end of the data
  bad_class.pt          a traced TorchScript model whose code/__torch__.py has a class-level syntax error
  bad_type.pt           the same model whose forward names an unknown type (Tensr)
  nan_logits.pt         a traced model for [1,28,28] inputs whose 10 logits are always NaN
  huge.png              a PNG whose header claims 100000x100000 pixels (its data is one tiny IDAT)
  huge.bmp              a BMP whose header claims 30000x30000 pixels, with 4 bytes of pixels
  shape_bomb.onnx       an MNIST-shaped ONNX classifier (opset 13) whose logits add ReduceSum(ConstantOfShape(
                        [100000,100000,10])): 745 GiB of float32 ones computed from a 24-byte shape
  tile_bomb.onnx        an MNIST-shaped ONNX classifier whose logits are the mean of its first ten pixels tiled
                        10^11 times
"""

import collections
import io
import os
import pickle
import struct
import zipfile
import zlib

import torch
import torch.nn as nn

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
OUT = os.path.join(REPO, "tests", "fixtures", "hostile")


def small_state_dict():
    return collections.OrderedDict(w=torch.arange(6, dtype=torch.float32).reshape(2, 3), b=torch.tensor([0.5, -0.5]))


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def forward(self, x):
        return self.fc(x)


class Evil:
    def __reduce__(self):
        return (os.system, ("touch pwned",))


class Config:
    def __init__(self, depth):
        self.depth = depth

    def __reduce__(self):
        return (Config, (self.depth,))


class NanLogits(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(1, 10)

    def forward(self, x):
        return self.fc(x.mean((2, 3))) * float("nan")


def save(obj, name):
    """torch.save with a fixed archive name, so that the bytes do not depend on the file name."""
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(buffer.getvalue())


def rewrite(name, source, change):
    """Copies the zip archive `source` into `name`, passing each entry's bytes through change(entry name, bytes);
    an entry for which it returns None is left out."""
    with zipfile.ZipFile(io.BytesIO(source)) as src, zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                dst.writestr(info, data)


class FakeStorage:
    def __init__(self, key, numel):
        self.key, self.numel = key, numel


class FakeTensor:
    """Pickles as torch.save pickles a tensor, with whatever storage, size and stride it is given."""

    def __init__(self, storage, size, stride):
        self.storage, self.size, self.stride = storage, size, stride

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2,
                (self.storage, 0, self.size, self.stride, False, collections.OrderedDict()))


class CraftPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, FakeStorage):
            return ("storage", torch.FloatStorage, obj.key, "cpu", obj.numel)
        return None


def crafted(name, obj, entries):
    """A torch.save-like archive: archive/data.pkl pickling obj, plus archive/data/KEY for each given entry."""
    buffer = io.BytesIO()
    CraftPickler(buffer, protocol=2).dump(obj)
    with zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_STORED) as z:
        def put(entry, data):  # a fixed date: the same bytes on every run
            z.writestr(zipfile.ZipInfo(entry, date_time=(1980, 1, 1, 0, 0, 0)), data)
        put("archive/data.pkl", buffer.getvalue())
        for key, data in entries.items():
            put(f"archive/data/{key}", data)
        put("archive/version", b"3\n")


def png(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 4)) + chunk(b"IEND", b"")


def bmp(width, height):
    pixels = b"\x00" * 4
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    return header + info + pixels


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)

    a = []
    a.append(a)
    save({"cyc": a}, "cyclic.pth")

    x = [0]
    for _ in range(60):
        x = [x, x]
    save({"bomb": x, "state_dict": small_state_dict()}, "bomb.pth")

    save(Tiny(), "whole_model.pth")
    save({"x": Evil()}, "evil.pth")
    save({"state_dict": small_state_dict(), "cfg": Config(3)}, "unknown_class.pth")

    buffer = io.BytesIO()
    torch.save(small_state_dict(), buffer)
    plain = buffer.getvalue()
    rewrite("missing_storage.pth", plain, lambda n, d: None if n.endswith("/data/1") else d)
    rewrite("truncated_pickle.pth", plain, lambda n, d: d[: len(d) // 2] if n.endswith("/data.pkl") else d)

    crafted("huge_storage.pth", {"w": FakeTensor(FakeStorage("0", 10**12), (10**6, 10**6), (10**6, 1))},
            {"0": struct.pack("<4f", 1, 2, 3, 4)})
    crafted("view_beyond.pth", {"w": FakeTensor(FakeStorage("0", 4), (100000, 100000), (100000, 1))},
            {"0": struct.pack("<4f", 1, 2, 3, 4)})

    with open(os.path.join(OUT, "huge_header.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", 2**31) + b"{}")
    header = b'{"w":{"dtype":"F32","shape":[1000,1000],"data_offsets":[0,4000000]}}'
    with open(os.path.join(OUT, "bad_offsets.safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + b"\x00" * 16)

    traced = io.BytesIO()
    torch.jit.save(torch.jit.trace(Tiny(), torch.zeros(1, 2)), traced)

    def code(old, new):
        def change(n, d):
            if n.endswith("code/__torch__.py"):
                assert old in d, (old, d)
                return d.replace(old, new)
            return d
        return change
    rewrite("bad_class.pt", traced.getvalue(), code(b"class Tiny(Module):", b"clas Tiny(Module):"))
    rewrite("bad_type.pt", traced.getvalue(), code(b"x: Tensor)", b"x: Tensr)"))

    nan = io.BytesIO()
    torch.jit.save(torch.jit.trace(NanLogits(), torch.zeros(1, 1, 28, 28)), nan)
    with open(os.path.join(OUT, "nan_logits.pt"), "wb") as f:
        f.write(nan.getvalue())

    with open(os.path.join(OUT, "huge.png"), "wb") as f:
        f.write(png(100000, 100000))
    with open(os.path.join(OUT, "huge.bmp"), "wb") as f:
        f.write(bmp(30000, 30000))

    onnx_bombs()


def onnx_bombs():
    import onnx
    from onnx import TensorProto, helper

    def ints(name, *values):
        return helper.make_tensor(name, TensorProto.INT64, [len(values)], list(values))

    def classifier(name, nodes, initializers):
        # x [N,1,28,28] -> first ten pixels [N,10] (Flatten, Slice), then the nodes, whose output is y [N,10]
        head = [helper.make_node("Flatten", ["x"], ["flat"]),
                helper.make_node("Slice", ["flat", "start", "end", "axis"], ["ten"])]
        graph = helper.make_graph(head + nodes, name,
                                  [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 28, 28])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])],
                                  [ints("start", 0), ints("end", 10), ints("axis", 1)] + initializers)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="advex-hostile")
        onnx.save(model, os.path.join(OUT, name))

    one = helper.make_tensor("one", TensorProto.FLOAT, [1], [1.0])
    classifier("shape_bomb.onnx",
               [helper.make_node("ConstantOfShape", ["shape"], ["big"], value=one),
                helper.make_node("ReduceSum", ["big"], ["total"], keepdims=0),
                helper.make_node("Add", ["ten", "total"], ["y"])],
               [ints("shape", 100000, 100000, 10)])
    classifier("tile_bomb.onnx",
               [helper.make_node("Tile", ["ten", "repeats"], ["tiled"]),
                helper.make_node("ReduceMean", ["tiled"], ["mean"], axes=[1], keepdims=1),
                helper.make_node("Add", ["ten", "mean"], ["y"])],
               [ints("repeats", 1, 10 ** 11)])


if __name__ == "__main__":
    main()
