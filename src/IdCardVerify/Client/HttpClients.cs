using System;
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
        private static readonly Lazy<HttpMessageInvoker> NetworkClient = new Lazy<HttpMessageInvoker>(CreateNetwork);

        public static HttpMessageInvoker Network => NetworkClient.Value;

        private static HttpMessageInvoker CreateNetwork()
        {
            var handler = new HttpClientHandler
            {
                // A redirect would carry the request elsewhere; the client reports it instead of following it.
                AllowAutoRedirect = false,
                UseCookies = false,
            };

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
