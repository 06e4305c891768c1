using System;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using IdCardVerify.Files;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// One <see cref="RateController"/> per token, endpoint and ceiling in the process: runs that share them
    /// (several runspaces, ForEach-Object -Parallel calling the cmdlet, a ThreadJob beside the session) draw
    /// on one budget, so together they stay under the API's limit and learn from each other's 429s. A run
    /// that asks another ceiling keeps its own, as it asked. The budget lives while a run holds it: the next
    /// run on a quiet token starts afresh, not from what an hour-old run learned. The token is keyed by its
    /// hash and never kept. Budgets on one token and endpoint in separate processes (or, with another ceiling, in this
    /// one) see each other through a <see cref="PeerBoard"/>: each takes its fair share, and the room one leaves when it
    /// ends (<see cref="PeerShares"/>).
    /// </summary>
    internal static class RateBudgets
    {
        private static readonly Dictionary<string, Entry> Shared = new Dictionary<string, Entry>(StringComparer.Ordinal);

        /// <summary>Takes a hold on the budget; dispose the lease when the run ends.</summary>
        public static Lease Acquire(Uri endpoint, string? token, double ceiling, TimeProvider? time = null)
        {
            var key = Key(endpoint, token, ceiling);
            lock (Shared)
            {
                if (!Shared.TryGetValue(key, out var entry))
                {
                    var controller = new RateController(ceiling, time);
                    var folder = BoardFolder(endpoint, token);
                    entry = new Entry(controller, folder == null ? null : new PeerSync(new PeerBoard(folder, PeerBoard.NewId(), time, PeerBoard.BaseFolder()), controller, time ?? Clock.System));
                    Shared.Add(key, entry);
                }

                entry.Holders++;
                return new Lease(key, entry.Controller);
            }
        }

        /// <summary>
        /// The peer board's folder of a token and endpoint: every budget on them, whatever its ceiling, in this process
        /// or another, shows itself there (they all draw on the API's one limit for the token).
        /// </summary>
        internal static string? BoardFolder(Uri endpoint, string? token) => PeerBoard.FolderFor(TokenKey(endpoint, token));

        private static void Release(string key)
        {
            lock (Shared)
            {
                if (Shared.TryGetValue(key, out var entry) && --entry.Holders <= 0)
                {
                    Shared.Remove(key);
                    entry.Peers?.Dispose();
                }
            }
        }

        private static string Key(Uri endpoint, string? token, double ceiling) => TokenKey(endpoint, token) + "\n" + ceiling.ToString("R", CultureInfo.InvariantCulture);

        // The endpoint and the token's hash: what every budget on them shares, whatever its ceiling.
        private static string TokenKey(Uri endpoint, string? token)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(token ?? string.Empty));
            return endpoint.GetLeftPart(UriPartial.Path) + "\n" + Convert.ToBase64String(hash);
        }

        private sealed class Entry
        {
            public Entry(RateController controller, PeerSync? peers)
            {
                Controller = controller;
                Peers = peers;
            }

            public RateController Controller { get; }

            public PeerSync? Peers { get; }

            public int Holders { get; set; }
        }

        /// <summary>
        /// Keeps a budget and its board in step: every <see cref="PeerBoard.Period"/> it shows the budget's rates and hands
        /// it the other runs'. It runs on a timer thread, where an exception would end the process: every entry point is
        /// fenced, and a fault of any kind turns the board off for the budget (the run goes on alone, as without a board)
        /// with one line in the run's verbose summary. A tick never waits for another (a slow file system skips ticks
        /// rather than piling up threads), and <see cref="Dispose"/> returns within <see cref="DisposeWait"/> whatever
        /// a tick is doing.
        /// </summary>
        internal sealed class PeerSync : IDisposable
        {
            /// <summary>The longest <see cref="Dispose"/> waits for a tick under way before it leaves the board's file to go stale.</summary>
            public static readonly TimeSpan DisposeWait = TimeSpan.FromMilliseconds(500);

            /// <summary>For tests: called with the budget at "write", "read" and "peers" within a tick; what it throws is what a fault there throws.</summary>
            internal static Action<RateController, string>? Fault;

            private readonly PeerBoard _board;
            private readonly RateController _controller;
            private readonly ITimer _timer;
            private readonly TimeProvider _time;
            private readonly object _gate = new object();
            private volatile bool _stopped;

            public PeerSync(PeerBoard board, RateController controller, TimeProvider time)
            {
                _board = board;
                _controller = controller;
                _time = time;
                _timer = time.CreateTimer(_ => Tick(), null, TimeSpan.Zero, PeerBoard.Period);
            }

            public void Dispose()
            {
                if (_stopped)
                {
                    return;
                }

                _stopped = true;
                _timer.Dispose();
                var started = _time.GetTimestamp();
                while (!Monitor.TryEnter(_gate))
                {
                    if (_time.GetElapsedTime(started) >= DisposeWait)
                    {
                        // A tick is stuck in the file system: its file goes stale in seconds and the next run sweeps it.
                        return;
                    }

                    _time.Sleep(TimeSpan.FromMilliseconds(10));
                }

                try
                {
                    _board.Dispose();
                }
                catch (Exception)
                {
                    // Fenced like a tick: a file that cannot be deleted goes stale and is swept.
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }

            private void Tick()
            {
                if (_stopped || !Monitor.TryEnter(_gate))
                {
                    return;
                }

                try
                {
                    if (_stopped)
                    {
                        return;
                    }

                    Fault?.Invoke(_controller, "write");
                    _board.Write(_controller.Publish(_board.Id));
                    Fault?.Invoke(_controller, "read");
                    var peers = _board.Read();
                    Fault?.Invoke(_controller, "peers");
                    _controller.OnPeers(peers);
                }
                catch (Exception ex)
                {
                    // Nothing on this thread may take the host down: the board is off for this budget, the run goes on.
                    _stopped = true;
                    _timer.Dispose();
                    _controller.BoardOff(ex);
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
            }
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
