using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security.Authentication;

namespace IdCardVerify.Client
{
    /// <summary>
    /// One shared connection pool for the process: reusing connections is most of the speed of a bulk
    /// run. (The sandbox's invoker, which never touches the network, is <see cref="Sandbox.SandboxHandler.Invoker"/>.)
    /// </summary>
    internal static class HttpClients
    {
        private static readonly Lazy<HttpMessageInvoker> NetworkClient = new Lazy<HttpMessageInvoker>(() => Create(ProxySettings.System));
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HttpMessageInvoker> ByProxy =
            new System.Collections.Concurrent.ConcurrentDictionary<string, HttpMessageInvoker>(StringComparer.Ordinal);

        public static HttpMessageInvoker Network => NetworkClient.Value;

        /// <summary>The pool for these proxy settings: one per distinct setting in the process, shared by its runs.</summary>
        public static HttpMessageInvoker For(ProxySettings proxy) =>
            proxy.IsSystemDefault ? Network : ByProxy.GetOrAdd(proxy.Key, _ => Create(proxy));

        private static HttpMessageInvoker Create(ProxySettings proxy)
        {
            var handler = new HttpClientHandler
            {
                // A redirect would carry the request elsewhere; the client reports it instead of following it.
                AllowAutoRedirect = false,
                UseCookies = false,
            };

            if (proxy.None)
            {
                handler.UseProxy = false;
            }
            else if (proxy.Address != null)
            {
                handler.UseProxy = true;
                handler.Proxy = new WebProxy(proxy.Address)
                {
                    Credentials = proxy.UseDefaultCredentials ? CredentialCache.DefaultCredentials : proxy.Credential,
                };
            }
            else if (proxy.Credential != null || proxy.UseDefaultCredentials)
            {
                // The system's proxy, answered with these credentials.
                handler.DefaultProxyCredentials = proxy.UseDefaultCredentials ? CredentialCache.DefaultCredentials : proxy.Credential;
            }

            try
            {
                // .NET Framework allows 2 connections per host by default, which would cap -ThrottleLimit at 2.
                handler.MaxConnectionsPerServer = 256;
            }
            catch (PlatformNotSupportedException)
            {
            }

            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                // Windows PowerShell 5.1 may still default to TLS 1.0/1.1; ask for TLS 1.2 (and 1.3 where the OS has it).
                const SslProtocols Tls13 = (SslProtocols)12288;
                try
                {
                    handler.SslProtocols = SslProtocols.Tls12 | Tls13;
                }
                catch (Exception ex) when (ex is PlatformNotSupportedException || ex is NotSupportedException || ex is ArgumentException)
                {
                    try
                    {
                        handler.SslProtocols = SslProtocols.Tls12;
                    }
                    catch (Exception inner) when (inner is PlatformNotSupportedException || inner is NotSupportedException)
                    {
                    }
                }
            }

            return new HttpMessageInvoker(handler, disposeHandler: true);
        }
    }
}
