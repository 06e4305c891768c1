using System;
using System.Collections.Generic;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// A rate controller's view of the runs on its token in other processes (<see cref="PeerShares"/>): who they are as
    /// last read, the most seen at once, the room left by those that ended, and whether the board was turned off. Under
    /// the controller's lock.
    /// </summary>
    internal sealed class PeerRoom
    {
        private double _freed;

        /// <summary>The runs as last read (none once the board is off).</summary>
        public IReadOnlyList<PeerState> Now { get; private set; } = Array.Empty<PeerState>();

        /// <summary>The most runs on the token seen at once.</summary>
        public int Most { get; private set; }

        /// <summary>Why the board was turned off (a fault on its timer thread); null while it works.</summary>
        public string? Off { get; private set; }

        /// <summary>The board faulted: this budget goes on alone, sharing with other processes by the 429s only.</summary>
        public void TurnOff(Exception fault)
        {
            Off ??= Words.Format(Text.Pacing_BoardOff, fault.GetType().Name);
            Now = Array.Empty<PeerState>();
        }

        /// <summary>Takes the runs read now; the room those that ended left is kept for <see cref="TakeFreed"/>.</summary>
        public void Update(IReadOnlyList<PeerState> peers)
        {
            _freed += PeerShares.Freed(Now, peers);
            Now = peers;
            Most = Math.Max(Most, peers.Count);
        }

        /// <summary>The room left so far (0 when none), given up: the caller takes it or lets it go.</summary>
        public double TakeFreed()
        {
            var freed = _freed;
            _freed = 0;
            return freed;
        }
    }
}
