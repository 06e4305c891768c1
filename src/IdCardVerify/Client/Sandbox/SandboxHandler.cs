using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Client.Sandbox
{
    /// <summary>
    /// Answers requests from <see cref="SandboxSimulator"/> instead of the network, so sandbox mode
    /// runs the whole client path (request building, parsing, error mapping) with no cost and no token.
    /// </summary>
    internal sealed class SandboxHandler : HttpMessageHandler
    {
        private static readonly System.Lazy<HttpMessageInvoker> Shared =
            new System.Lazy<HttpMessageInvoker>(() => new HttpMessageInvoker(new SandboxHandler(), disposeHandler: true));

        /// <summary>The one invoker every sandbox run shares.</summary>
        public static HttpMessageInvoker Invoker => Shared.Value;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var body = request.Content == null ? string.Empty : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            var simulated = SandboxSimulator.Respond(request.Method.Method, body);
            var response = new HttpResponseMessage((HttpStatusCode)simulated.Status)
            {
                RequestMessage = request,
                Content = new StringContent(simulated.Body, Encoding.UTF8, simulated.ContentType),
            };
            if (simulated.RetryAfter != null)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", simulated.RetryAfter);
            }

            return response;
        }
    }
}
