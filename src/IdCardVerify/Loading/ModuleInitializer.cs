using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace IdCardVerify
{
    /// <summary>
    /// Isolates the module's dependencies (System.Text.Json and its family, shipped in
    /// <c>dependencies/</c>). The runtime's own copy always wins when it is new enough, so on
    /// PowerShell 7.4+ nothing is loaded from <c>dependencies/</c>; when the runtime has none, or an
    /// older one, the resolver answers, and only for files in that folder: into a private
    /// AssemblyLoadContext on PowerShell 7 (created by reflection, as netstandard2.0 cannot name the
    /// type), with <c>Assembly.LoadFrom</c> on Windows PowerShell 5.1. Another module holding a
    /// different System.Text.Json is then neither broken by this one nor able to break it.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder = Path.Combine(
            Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

        private static readonly object Gate = new object();
        private static object? _privateContext;
        private static MethodInfo? _loadFromPath;
        private static Delegate? _resolvingHandler;
        private static EventInfo? _resolvingEvent;
        private static object? _defaultContext;
        private static bool _registered;

        private static Type? LoadContextType => Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false)
            ?? typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext", throwOnError: false);

        public void OnImport()
        {
            lock (Gate)
            {
                if (_registered)
                {
                    return;
                }

                var contextType = LoadContextType;
                if (contextType != null)
                {
                    _defaultContext = contextType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null);
                    _resolvingEvent = contextType.GetEvent("Resolving")!;
                    var handler = typeof(ModuleInitializer).GetMethod(nameof(ResolveInCore), BindingFlags.NonPublic | BindingFlags.Static)!;
                    _resolvingHandler = Delegate.CreateDelegate(_resolvingEvent.EventHandlerType!, handler);
                    _resolvingEvent.AddEventHandler(_defaultContext, _resolvingHandler);
                }
                else
                {
                    AppDomain.CurrentDomain.AssemblyResolve += ResolveInFramework;
                }

                _registered = true;
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            lock (Gate)
            {
                if (!_registered)
                {
                    return;
                }

                if (_resolvingEvent != null && _resolvingHandler != null)
                {
                    _resolvingEvent.RemoveEventHandler(_defaultContext, _resolvingHandler);
                }
                else
                {
                    AppDomain.CurrentDomain.AssemblyResolve -= ResolveInFramework;
                }

                _registered = false;
            }
        }

        /// <summary>
        /// The file in dependencies/ for this name and version, or null: the resolver answers for
        /// nothing else, so a request for another version (another module's) is left to its owner.
        /// </summary>
        /// <param name="orNewer">
        /// Also answer a request for an older version with the newer one shipped (Windows PowerShell 5.1 has no binding
        /// redirects for a module: System.Text.Json asks for System.Memory 4.0.1.2 while SkiaSharp needs, and the
        /// module ships, 4.0.2.0).
        /// </param>
        internal static string? DependencyPath(AssemblyName name, bool orNewer = false)
        {
            if (string.IsNullOrEmpty(name.Name))
            {
                return null;
            }

            var path = Path.Combine(DependencyFolder, name.Name + ".dll");
            if (!File.Exists(path))
            {
                // A dependency built per platform (Tmds.LibC): this platform's build, if one ships.
                path = Path.Combine(DependencyFolder, "runtimes", Rid(), "lib", name.Name + ".dll");
                if (!File.Exists(path))
                {
                    return null;
                }
            }

            var shipped = AssemblyName.GetAssemblyName(path).Version;
            return name.Version == null || name.Version == shipped || (orNewer && shipped != null && name.Version < shipped) ? path : null;
        }

        /// <summary>This process's runtime identifier as the dependencies/runtimes folders are named (linux-x64, linux-arm64 …).</summary>
        internal static string Rid()
        {
            var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win" : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx" : "linux";
            return os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        }

        /// <summary>Loads a dependency into the module's private load context (PowerShell 7). Internal for tests.</summary>
        internal static Assembly? LoadIsolated(AssemblyName name)
        {
            var path = DependencyPath(name);
            if (path == null)
            {
                return null;
            }

            lock (Gate)
            {
                if (_privateContext == null)
                {
                    var contextType = LoadContextType!;
                    _privateContext = Activator.CreateInstance(contextType, "IdCardVerify", false);
                    _loadFromPath = contextType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
                }
            }

            return (Assembly?)_loadFromPath!.Invoke(_privateContext, new object[] { path });
        }

        // Bound to AssemblyLoadContext.Resolving (Func<AssemblyLoadContext, AssemblyName, Assembly>)
        // through parameter contravariance: the first parameter is the default context.
        private static Assembly? ResolveInCore(object context, AssemblyName name) => LoadIsolated(name);

        private static Assembly? ResolveInFramework(object? sender, ResolveEventArgs args)
        {
            // Answer only for this module and its own dependencies, never for anyone else's request.
            var requester = args.RequestingAssembly;
            if (requester != null && requester != typeof(ModuleInitializer).Assembly
                && !(requester.Location ?? string.Empty).StartsWith(DependencyFolder, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var name = new AssemblyName(args.Name);
            var path = SatellitePath(name) ?? DependencyPath(name, orNewer: true);
            return path == null ? null : Assembly.LoadFrom(path);
        }

        /// <summary>
        /// The module's own texts in another language (zh-CN/IdCardVerify.resources.dll beside the module), for a
        /// request the Framework's probing did not answer (Windows PowerShell 5.1); null for anything else.
        /// </summary>
        internal static string? SatellitePath(AssemblyName name)
        {
            var module = typeof(ModuleInitializer).Assembly.GetName().Name + ".resources";
            if (!string.Equals(name.Name, module, StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(name.CultureName))
            {
                return null;
            }

            var path = Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", name.CultureName, name.Name + ".dll");
            return File.Exists(path) ? path : null;
        }
    }
}
