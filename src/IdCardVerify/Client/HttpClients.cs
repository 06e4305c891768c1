using System;
using System.Net.Http;
using IdCardVerify.Sandbox;

namespace IdCardVerify.Client
{
    /// <summary>
    /// One shared connection pool for the process (reusing connections is most of the speed of a
    /// bulk run), and one sandbox handler that never touches the network.
    /// </summary>
    internal static class HttpClients
    {
        private static readonly Lazy<HttpMessageInvoker> NetworkClient = new Lazy<HttpMessageInvoker>(CreateNetwork);
        private static readonly Lazy<HttpMessageInvoker> SandboxClient = new Lazy<HttpMessageInvoker>(() => new HttpMessageInvoker(new SandboxHandler(), disposeHandler: true));

        public static HttpMessageInvoker Network => NetworkClient.Value;

        public static HttpMessageInvoker Sandbox => SandboxClient.Value;

        private static HttpMessageInvoker CreateNetwork()
        {
            var handler = new HttpClientHandler
            {
                // A redirect would carry the request elsewhere; the client reports it instead of following it.
                AllowAutoRedirect = false,
                UseCookies = false,
                MaxConnectionsPerServer = 256,
            };
            return new HttpMessageInvoker(handler, disposeHandler: true);
        }
    }
}
