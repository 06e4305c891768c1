using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace IdCardVerify.Client
{
    /// <summary>
    /// One <see cref="RateController"/> per token, endpoint and ceiling in the process: runs that share them
    /// (several runspaces, ForEach-Object -Parallel calling the cmdlet, a ThreadJob beside the session) draw
    /// on one budget, so together they stay under the API's limit and learn from each other's 429s. A run
    /// that asks another ceiling keeps its own, as it asked. The budget lives while a run holds it: the next
    /// run on a quiet token starts afresh, not from what an hour-old run learned. The token is keyed by its
    /// hash and never kept.
    /// </summary>
    internal static class RateBudgets
    {
        private static readonly Dictionary<string, Entry> Shared = new Dictionary<string, Entry>(StringComparer.Ordinal);

        /// <summary>Takes a hold on the budget; dispose the lease when the run ends.</summary>
        public static Lease Acquire(Uri endpoint, string? token, double ceiling, Func<TimeSpan>? clock = null)
        {
            var key = Key(endpoint, token, ceiling);
            lock (Shared)
            {
                if (!Shared.TryGetValue(key, out var entry))
                {
                    entry = new Entry(new RateController(ceiling, clock));
                    Shared.Add(key, entry);
                }

                entry.Holders++;
                return new Lease(key, entry.Controller);
            }
        }

        /// <summary>Budgets held now (for tests).</summary>
        internal static int Count
        {
            get
            {
                lock (Shared)
                {
                    return Shared.Count;
                }
            }
        }

        private static void Release(string key)
        {
            lock (Shared)
            {
                if (Shared.TryGetValue(key, out var entry) && --entry.Holders <= 0)
                {
                    Shared.Remove(key);
                }
            }
        }

        private static string Key(Uri endpoint, string? token, double ceiling)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(token ?? string.Empty));
            return endpoint.GetLeftPart(UriPartial.Path) + "\n" + Convert.ToBase64String(hash) + "\n" + ceiling.ToString("R", CultureInfo.InvariantCulture);
        }

        private sealed class Entry
        {
            public Entry(RateController controller) => Controller = controller;

            public RateController Controller { get; }

            public int Holders { get; set; }
        }

        /// <summary>A run's hold on a shared budget.</summary>
        public sealed class Lease : IDisposable
        {
            private readonly string _key;
            private bool _released;

            internal Lease(string key, RateController controller)
            {
                _key = key;
                Controller = controller;
            }

            public RateController Controller { get; }

            public void Dispose()
            {
                if (!_released)
                {
                    _released = true;
                    Release(_key);
                }
            }
        }
    }
}
