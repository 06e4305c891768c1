using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;

namespace IdCardVerify
{
    /// <summary>
    /// Secrets scrubbed by value, as CI systems mask theirs: every secret the module holds or mints (the API token, a
    /// staging key and its id, a session token, a SAS, each presigned URL's signature, a proxy's or an endpoint's
    /// password) is registered here, and <see cref="Scrub"/> takes it out of any text the module emits or stores, in
    /// each form it can take there: raw, percent-encoded (either case of hex), and JSON-escaped (<c>\uXXXX</c>,
    /// <c>\/</c>). Shape-based redaction (<see cref="Redaction"/>) stays for the URLs users give; this catches a secret
    /// wherever a server quoted it, whatever the shape around it. Process-wide: a secret of an earlier run in the same
    /// session is still a secret. A value minted per request (a presigned URL's signature) is registered for the life
    /// of the request only (<see cref="Lease"/>), so the list stays as short as the requests in flight.
    /// </summary>
    internal static class Secrets
    {
        public const string Hidden = "***";

        /// <summary>Shorter values are not secrets worth searching for (a test's "t"): replacing them would only wreck the text.</summary>
        public const int Shortest = 8;

        private static readonly object Gate = new object();
        private static readonly Dictionary<string, Entry> Registered = new Dictionary<string, Entry>(StringComparer.Ordinal);
        private static Entry[] _snapshot = Array.Empty<Entry>();

        /// <summary>Registers <paramref name="value"/> for the process; values shorter than <see cref="Shortest"/> are ignored.</summary>
        public static void Register(string? value)
        {
            if (value == null || value.Length < Shortest)
            {
                return;
            }

            lock (Gate)
            {
                if (Registered.TryGetValue(value, out var entry))
                {
                    entry.Count = int.MaxValue / 2;
                    return;
                }

                Registered[value] = new Entry(value) { Count = int.MaxValue / 2 };
                _snapshot = new List<Entry>(Registered.Values).ToArray();
            }
        }

        /// <summary>Registers <paramref name="values"/> until the returned lease is disposed (a presigned URL's parts, while it lives).</summary>
        public static IDisposable Lease(params string?[] values)
        {
            var held = new List<string>();
            lock (Gate)
            {
                foreach (var value in values)
                {
                    if (value == null || value.Length < Shortest)
                    {
                        continue;
                    }

                    if (!Registered.TryGetValue(value, out var entry))
                    {
                        entry = new Entry(value);
                        Registered[value] = entry;
                    }

                    entry.Count++;
                    held.Add(value);
                }

                _snapshot = new List<Entry>(Registered.Values).ToArray();
            }

            return new Release(held);
        }

        /// <summary>Whether <paramref name="text"/> holds a registered secret in any of its forms.</summary>
        public static bool Holds(string? text) => text != null && Scrub(text) != text;

        /// <summary><paramref name="text"/> with every registered secret, in every form, replaced by <c>***</c>.</summary>
        public static string Scrub(string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text;
            }

            var entries = Volatile.Read(ref _snapshot);
            if (entries.Length == 0)
            {
                return text;
            }

            // Most texts hold no secret and no escape: a plain search per secret, and the patterns only where an escape could hide one.
            var escaped = text.IndexOf('\\') >= 0 || text.IndexOf('%') >= 0;
            foreach (var entry in entries)
            {
                if (text.IndexOf(entry.Value, StringComparison.Ordinal) >= 0)
                {
                    text = text.Replace(entry.Value, Hidden);
                }

                if (escaped)
                {
                    text = entry.AnyForm.Replace(text, Hidden);
                }
            }

            return text;
        }

        /// <summary>Null stays null.</summary>
        public static string? ScrubOrNull(string? text) => text == null ? null : Scrub(text);

        private sealed class Entry
        {
            private Regex? _anyForm;

            public Entry(string value)
            {
                Value = value;
            }

            public string Value { get; }

            public int Count { get; set; }

            /// <summary>The value with any of its characters raw, percent-encoded or JSON-escaped (built on first use).</summary>
            public Regex AnyForm => _anyForm ??= new Regex(Pattern(Value), RegexOptions.CultureInvariant);
        }

        internal static string Pattern(string value)
        {
            var pattern = new StringBuilder();
            foreach (var c in value)
            {
                pattern.Append("(?:").Append(Regex.Escape(c.ToString()));
                pattern.Append(@"|\\u").Append(AnyCase(((int)c).ToString("x4", CultureInfo.InvariantCulture)));
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    pattern.Append('|').Append("%").Append(AnyCase(b.ToString("x2", CultureInfo.InvariantCulture)));
                }

                if (c == '/')
                {
                    pattern.Append(@"|\\/");
                }
                else if (c == '+')
                {
                    // A '+' in a query a server decoded loosely, or re-encoded, arrives as a space or %20.
                    pattern.Append("|%20| ");
                }

                pattern.Append(')');
            }

            return pattern.ToString();
        }

        private static string AnyCase(string hex)
        {
            var builder = new StringBuilder();
            foreach (var digit in hex)
            {
                builder.Append(char.IsLetter(digit) ? "[" + digit + char.ToUpperInvariant(digit) + "]" : digit.ToString());
            }

            return builder.ToString();
        }

        private sealed class Release : IDisposable
        {
            private List<string>? _held;

            public Release(List<string> held)
            {
                _held = held;
            }

            public void Dispose()
            {
                var held = Interlocked.Exchange(ref _held, null);
                if (held == null || held.Count == 0)
                {
                    return;
                }

                lock (Gate)
                {
                    foreach (var value in held)
                    {
                        if (Registered.TryGetValue(value, out var entry) && --entry.Count <= 0)
                        {
                            Registered.Remove(value);
                        }
                    }

                    _snapshot = new List<Entry>(Registered.Values).ToArray();
                }
            }
        }
    }
}
