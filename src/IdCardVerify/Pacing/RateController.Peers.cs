using System;
using System.Collections.Generic;
using IdCardVerify.Files;

namespace IdCardVerify.Pacing
{
    /// <summary>The rate controller's side of the runs on its token in other processes (<see cref="PeerShares"/>).</summary>
    internal sealed partial class RateController
    {
        // Runs on the same token in other processes, as last read, and the room left by those that ended.
        private IReadOnlyList<PeerState> _peers = Array.Empty<PeerState>();
        private double _freed;
        private int _mostPeers;

        private string? _boardOff;

        /// <summary>What a fault on a background thread turned off for this budget (the send queue's pacing, the peer board); null while nothing was.</summary>
        public string? FaultReason
        {
            get
            {
                lock (_gate)
                {
                    return _slots.Fault is string paced ? (_boardOff == null ? paced : paced + " " + _boardOff) : _boardOff;
                }
            }
        }

        /// <summary>Why the peer board was turned off for this budget (a fault on its timer thread); null while it works.</summary>
        public string? BoardOffReason
        {
            get
            {
                lock (_gate)
                {
                    return _boardOff;
                }
            }
        }

        /// <summary>The board faulted: this budget goes on alone, sharing with other processes by the 429s only.</summary>
        public void BoardOff(Exception fault)
        {
            try
            {
                lock (_gate)
                {
                    _boardOff ??= $"The peer board was turned off for this run after an unexpected {fault.GetType().Name}; it went on alone, sharing the token with runs in other processes by the API's 429s only.";
                    _peers = Array.Empty<PeerState>();
                }
            }
            catch (Exception)
            {
                // Called from a fenced timer callback: nothing more may escape it.
            }
        }

        /// <summary>Runs on this token in other processes now.</summary>
        public int Peers
        {
            get
            {
                lock (_gate)
                {
                    return _peers.Count;
                }
            }
        }

        /// <summary>The most runs on this token seen at once in other processes.</summary>
        public int MostPeers
        {
            get
            {
                lock (_gate)
                {
                    return _mostPeers;
                }
            }
        }

        /// <summary>What this budget shows the other runs on its token: what the API accepts from it, its rate, its ceiling.</summary>
        public PeerState Publish(string id)
        {
            lock (_gate)
            {
                var now = _time.Now();
                return new PeerState(id, _noise.Gross(_acceptedLonger.Rate(now)), RateAt(now), _ceiling);
            }
        }

        /// <summary>
        /// The runs now on this token in other processes. A cut gives this run its fair share of the limit they show
        /// together (<see cref="PeerShares"/>); when one of them ends, this run takes the room it leaves at once.
        /// </summary>
        public void OnPeers(IReadOnlyList<PeerState> peers)
        {
            lock (_gate)
            {
                var now = _time.Now();
                _freed += PeerShares.Freed(_peers, peers);
                _peers = peers;
                _mostPeers = Math.Max(_mostPeers, peers.Count);
                if (!_cut)
                {
                    // The slow start takes the room by itself.
                    _freed = 0;
                }
                else if (_freed > 0 && !_check.IsOpen)
                {
                    // The curve goes on from the new plateau: this run's own plus the room left (never over the top).
                    // While a cut's check is open, the room waits for it to close.
                    var raised = Math.Min(_top, Math.Max(_maxRate, RateAt(now)) + _freed);
                    if (raised > _maxRate)
                    {
                        (_maxRate, _cutAt, _k, _steady) = (raised, now, 0, false);
                    }

                    _freed = 0;
                }
            }
        }
    }
}
