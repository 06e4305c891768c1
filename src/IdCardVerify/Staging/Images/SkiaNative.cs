using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace IdCardVerify.Staging.Images
{
    /// <summary>
    /// Finds SkiaSharp's native library in the module's own folder (<c>dependencies/runtimes/&lt;rid&gt;/native</c>),
    /// where neither PowerShell nor the runtime looks: on PowerShell 7 a DllImport resolver set on SkiaSharp's
    /// assembly (through reflection: netstandard2.0 cannot name NativeLibrary); on Windows PowerShell 5.1 the DLL is
    /// loaded by its full path first, so that the DllImport finds it loaded. Nothing here runs until a local file is used.
    /// </summary>
    internal static class SkiaNative
    {
        private static readonly object Gate = new object();
        private static bool _done;

        private static string DependencyFolder => Path.Combine(Path.GetDirectoryName(typeof(SkiaNative).Assembly.Location) ?? ".", "dependencies");

        /// <summary>Sets the resolver up once; must run before any SkiaSharp call (and does not name its types).</summary>
        public static void EnsureResolver()
        {
            lock (Gate)
            {
                if (_done)
                {
                    return;
                }

                _done = true;
                var nativeLibrary = typeof(object).Assembly.GetType("System.Runtime.InteropServices.NativeLibrary", throwOnError: false);
                if (nativeLibrary != null)
                {
                    var resolverType = typeof(object).Assembly.GetType("System.Runtime.InteropServices.DllImportResolver", throwOnError: true)!;
                    var set = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType })!;
                    var resolver = Delegate.CreateDelegate(resolverType, typeof(SkiaNative).GetMethod(nameof(Resolve), BindingFlags.NonPublic | BindingFlags.Static)!);
                    try
                    {
                        set.Invoke(null, new object[] { SkiaAssembly(), resolver });
                    }
                    catch (TargetInvocationException ex) when (ex.InnerException is InvalidOperationException)
                    {
                        // Another module loaded this SkiaSharp and set its own resolver: its native library serves.
                    }
                }
                else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
                {
                    var path = LibraryPath();
                    if (path != null)
                    {
                        LoadLibrary(path);
                    }
                }
            }
        }

        /// <summary>The native library's file for this platform in the module, or null when the module has none for it.</summary>
        internal static string? LibraryPath()
        {
            var file = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "libSkiaSharp.dll"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "libSkiaSharp.dylib" : "libSkiaSharp.so";
            var path = Path.Combine(DependencyFolder, "runtimes", RuntimeId(), "native", file);
            return File.Exists(path) ? path : null;
        }

        /// <summary>The runtime identifier whose native folder fits this machine (linux-x64, linux-musl-x64, osx, win-arm64 …).</summary>
        internal static string RuntimeId()
        {
            var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64"
                : RuntimeInformation.OSArchitecture == Architecture.X86 ? "x86"
                : RuntimeInformation.OSArchitecture == Architecture.Arm ? "arm" : "x64";
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return "win-" + (Environment.Is64BitProcess ? arch : "x86");
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                return "osx";
            }

            // Alpine and other musl systems have their own build.
            var musl = Directory.Exists("/lib") && Directory.GetFiles("/lib", "ld-musl-*").Length > 0;
            return (musl ? "linux-musl-" : "linux-") + arch;
        }

        // Kept out of EnsureResolver (and not inlined), so that naming SkiaSharp's type loads it only here.
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static Assembly SkiaAssembly() => typeof(SkiaSharp.SKCodec).Assembly;

        private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (libraryName.IndexOf("SkiaSharp", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return IntPtr.Zero;
            }

            var path = LibraryPath();
            if (path == null)
            {
                return IntPtr.Zero;
            }

            var load = typeof(object).Assembly.GetType("System.Runtime.InteropServices.NativeLibrary")!.GetMethod("Load", new[] { typeof(string) })!;
            return (IntPtr)load.Invoke(null, new object[] { path })!;
        }

        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibrary(string path);
    }
}
