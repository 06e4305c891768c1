using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace IdCardVerify.Client
{
    /// <summary>
    /// One rate limiter per token, endpoint and -RequestsPerSecond in the process: runs that share them
    /// (several runspaces, ForEach-Object -Parallel calling the cmdlet, a ThreadJob beside the session) draw
    /// on one budget, so together they stay under the limit and learn from each other's 429s. A run that
    /// asks another limit keeps its own, as it asked. The token is keyed by its hash, never kept here.
    /// </summary>
    internal static class RateBudgets
    {
        private static readonly ConcurrentDictionary<string, RateLimiter> Shared = new ConcurrentDictionary<string, RateLimiter>(StringComparer.Ordinal);

        public static RateLimiter For(Uri endpoint, string? token, double requestsPerSecond) =>
            Shared.GetOrAdd(Key(endpoint, token) + "\n" + requestsPerSecond.ToString("R", System.Globalization.CultureInfo.InvariantCulture), _ => new RateLimiter(requestsPerSecond));

        private static string Key(Uri endpoint, string? token)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(token ?? string.Empty));
            return endpoint.GetLeftPart(UriPartial.Path) + "\n" + Convert.ToBase64String(hash);
        }
    }
}
