// MSBuild inline task (compiled by RoslynCodeTaskFactory): marks one libstdc++ version requirement of
// libLibTorchSharp.so weak so that the library loads on systems whose libstdc++ lacks that version.
// ELF64 little-endian only (linux-x64 / linux-arm64); any other file is left alone.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class MarkGlibcxxVersionWeak : Task
{
    [Required] public string[] Directories { get; set; } = Array.Empty<string>();
    [Required] public string VersionName { get; set; } = "";

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    public override bool Execute()
    {
        if (SystemHasVersion(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides " + VersionName + "; nothing to patch.");
            return true;
        }
        foreach (var dir in Directories)
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "libLibTorchSharp.so", SearchOption.AllDirectories))
            {
                try
                {
                    if (Patch(file, VersionName))
                        Log.LogMessage(MessageImportance.Normal, "Marked " + VersionName + " weak in " + file);
                }
                catch (Exception e)
                {
                    Log.LogWarning("Could not patch " + file + ": " + e.Message);
                }
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemHasVersion(string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib64/libstdc++.so.6",
        };
        foreach (var path in candidates)
        {
            if (!File.Exists(path)) continue;
            var bytes = File.ReadAllBytes(path);
            if (IndexOf(bytes, needle) >= 0) return true;
            return false; // the first libstdc++ found is the one the loader uses
        }
        return false;
    }

    static int IndexOf(byte[] hay, byte[] needle)
    {
        for (var i = 0; i <= hay.Length - needle.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    /// <summary>Returns true when the file was changed.</summary>
    static bool Patch(string path, string version)
    {
        var b = File.ReadAllBytes(path);
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F') return false;
        if (b[4] != 2 || b[5] != 1) return false; // ELFCLASS64, little-endian
        var shoff = (long)BitConverter.ToUInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        var changed = false;
        for (var i = 0; i < shnum; i++)
        {
            var sh = shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(b, (int)sh + 4) != ShtGnuVerneed) continue;
            var offset = (long)BitConverter.ToUInt64(b, (int)sh + 0x18);
            var link = BitConverter.ToUInt32(b, (int)sh + 0x28);
            var count = BitConverter.ToUInt32(b, (int)sh + 0x2C); // sh_info: number of Verneed entries
            var strtab = (long)BitConverter.ToUInt64(b, (int)(shoff + link * shentsize) + 0x18);
            var vn = offset;
            for (var n = 0; n < count; n++)
            {
                int cnt = BitConverter.ToUInt16(b, (int)vn + 2);
                var aux = vn + BitConverter.ToUInt32(b, (int)vn + 8);
                for (var a = 0; a < cnt; a++)
                {
                    var nameOff = strtab + BitConverter.ToUInt32(b, (int)aux + 8);
                    if (ReadCString(b, nameOff) == version)
                    {
                        var flags = BitConverter.ToUInt16(b, (int)aux + 4);
                        if ((flags & VerFlgWeak) == 0)
                        {
                            var weak = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
                            b[aux + 4] = weak[0];
                            b[aux + 5] = weak[1];
                            changed = true;
                        }
                    }
                    aux += BitConverter.ToUInt32(b, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(b, (int)vn + 12);
            }
        }
        if (!changed) return false;
        var tmp = path + ".advex-tmp";
        File.WriteAllBytes(tmp, b);
        File.Replace(tmp, path, null);
        return true;
    }

    static string ReadCString(byte[] b, long at)
    {
        var end = at;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
    }
}
