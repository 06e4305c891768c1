using System;
using System.Collections.Generic;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// What one run's budget publishes for runs in other processes on the same token and endpoint (the
    /// <see cref="PeerBoard"/>), and reads of theirs: its id, the rate the API accepts from it, the rate in force and its
    /// ceiling (-RequestsPerSecond; infinity for none), all in requests per second.
    /// </summary>
    internal readonly struct PeerState
    {
        public PeerState(string id, double accepted, double rate, double ceiling = double.PositiveInfinity)
        {
            Id = id;
            Accepted = accepted;
            Rate = rate;
            Ceiling = ceiling;
        }

        public string Id { get; }

        public double Accepted { get; }

        public double Rate { get; }

        public double Ceiling { get; }

        /// <summary>
        /// Uses clearly less than its rate allows (its input comes slowly, its run is ending): it wants no more than
        /// it has, and a fair share leaves it that and splits the rest.
        /// </summary>
        public bool WantsLess => Accepted < PeerShares.Idle * Rate;
    }

    /// <summary>
    /// How runs in several processes on one token share the API's limit (the max-min fairness of TCP's flows, which
    /// CUBIC only reaches slowly and by chance when two runs draw each other's 429s): at a congestion event a run's
    /// limit is its fair share of the limit the runs show together, and a run whose colleague's run ended takes its
    /// share at once instead of probing its way up to it.
    /// </summary>
    internal static class PeerShares
    {
        /// <summary>A run that accepts less than this share of its rate in force is not held by the rate (<see cref="PeerState.WantsLess"/>).</summary>
        public const double Idle = 0.7;

        /// <summary>
        /// This run's fair share when it has shown <paramref name="limit"/> under its <paramref name="ceiling"/> and
        /// <paramref name="peers"/> run beside it: the runs that want less keep what they accept, the others split the
        /// rest evenly, except that a run whose ceiling is under an even share takes its ceiling and leaves the rest to
        /// the others (max-min fairness). Each held run counts with what the API accepts from it.
        /// </summary>
        public static double FairShare(double limit, double ceiling, IReadOnlyList<PeerState> peers)
        {
            var rest = limit;
            var caps = new List<double> { ceiling };
            foreach (var peer in peers)
            {
                if (!peer.WantsLess)
                {
                    rest += peer.Accepted;
                    caps.Add(peer.Ceiling);
                }
            }

            caps.Sort();
            var runs = caps.Count;
            foreach (var cap in caps)
            {
                if (cap >= rest / runs)
                {
                    break;
                }

                rest -= cap;
                runs--;
            }

            return Math.Min(ceiling, runs > 0 ? rest / runs : ceiling);
        }

        /// <summary>What the runs of <paramref name="before"/> no longer in <paramref name="now"/> were accepted: the room they left.</summary>
        public static double Freed(IReadOnlyList<PeerState> before, IReadOnlyList<PeerState> now)
        {
            var freed = 0.0;
            foreach (var peer in before)
            {
                var still = false;
                foreach (var other in now)
                {
                    still |= string.Equals(other.Id, peer.Id, StringComparison.Ordinal);
                }

                freed += still ? 0 : peer.Accepted;
            }

            return freed;
        }
    }
}
