using System;
using System.Net.Http.Headers;

namespace IdCardVerify.Client
{
    /// <summary>What an answer's Retry-After header says: how long the server asks to wait.</summary>
    internal static class RetryAfterHeader
    {
        /// <summary>Reads Retry-After in seconds (<c>2</c>) or as an HTTP date; null when absent or unreadable.</summary>
        public static TimeSpan? Parse(RetryConditionHeaderValue? header, DateTimeOffset now)
        {
            if (header == null)
            {
                return null;
            }

            if (header.Delta.HasValue)
            {
                return header.Delta.Value;
            }

            if (header.Date.HasValue)
            {
                var wait = header.Date.Value - now;
                return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            }

            return null;
        }
    }
}
