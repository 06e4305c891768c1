using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IdCardVerify.Sandbox
{
    /// <summary>
    /// Answers requests from <see cref="SandboxSimulator"/> instead of the network, so sandbox mode
    /// runs the whole client path (request building, parsing, error mapping) with no cost and no token.
    /// </summary>
    internal sealed class SandboxHandler : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var body = request.Content == null ? string.Empty : await request.Content.ReadAsStringAsync().ConfigureAwait(false);
            var simulated = SandboxSimulator.Respond(request.Method.Method, body, request.Headers.Authorization?.ToString(), tokens: null);
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
