using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text;
using IdCardVerify.Settings;

namespace IdCardVerify.Client
{
    /// <summary>
    /// Where runs in separate processes on one token and endpoint see each other: a folder per token and endpoint in the
    /// user's temp folder (named by a hash of the endpoint and the token's hash; neither is ever written),
    /// one small file per run holding the time it was written and the run's rates, nothing else. Each run rewrites
    /// its own every <see cref="Period"/> and reads the others'; a file not rewritten for <see cref="Stale"/> is a
    /// run that ended without a word (killed, crashed), and one that ended in order deletes its own. Anything the
    /// file system refuses (a full disk, a read-only temp folder) leaves a run on its own, as before: never an error.
    /// </summary>
    internal sealed class PeerBoard : IDisposable
    {
        /// <summary>How often a run shows its rates and reads the others'.</summary>
        public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

        /// <summary>A run whose file has not been rewritten for this long has ended.</summary>
        public static readonly TimeSpan Stale = TimeSpan.FromSeconds(3);

        /// <summary>A file this old is a dead run's: a run on its token that reads it, or the next run to begin on any, deletes it.</summary>
        public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(1);

        private const string Extension = ".peer";

        private readonly string _folder;
        private readonly string _path;
        private readonly Func<DateTime> _utcNow;
        private readonly Dictionary<string, PeerState> _lastRead = new Dictionary<string, PeerState>(StringComparer.Ordinal);

        // The folder was last found its owner's alone: only then are other files in it read.
        private bool _trusted;

        /// <param name="folder">The token and endpoint's folder (<see cref="FolderFor"/>).</param>
        /// <param name="id">This run's id, unique among the runs on them.</param>
        /// <param name="utcNow">The wall clock the runs share; a test passes its own.</param>
        public PeerBoard(string folder, string id, Func<DateTime>? utcNow = null)
        {
            _folder = folder;
            Id = id;
            _path = Path.Combine(folder, id + Extension);
            _utcNow = utcNow ?? (() => DateTime.UtcNow);
        }

        public string Id { get; }

        /// <summary>The folder of the token and endpoint keyed <paramref name="key"/>, under the user's temp folder.</summary>
        public static string FolderFor(string key)
        {
            var user = new StringBuilder();
            foreach (var c in Environment.UserName)
            {
                user.Append(char.IsLetterOrDigit(c) ? c : '_');
            }

            return Path.Combine(Path.GetTempPath(), "IdCardVerify-" + user, "peers", ShortHash.Of(key, 12));
        }

        /// <summary>A new run's id: its process and a random part.</summary>
        public static string NewId()
        {
            using var process = Process.GetCurrentProcess();
            return process.Id.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        }

        /// <summary>
        /// Shows this run's rates; false when the file system refused. A folder that cannot be made or is not its
        /// owner's alone leaves the run on its own (it reads no one); a write that fails once (a full disk, a reader
        /// holding the file on Windows) leaves the others' rates as they were read.
        /// </summary>
        public bool Write(PeerState own)
        {
            var line = string.Format(
                CultureInfo.InvariantCulture,
                "1 {0} {1:R} {2:R} {3:R}",
                _utcNow().Ticks,
                own.Accepted,
                Finite(own.Rate),
                Finite(own.Ceiling));
            try
            {
                var first = !_trusted;
                _trusted = Trusted(_folder);
                if (!_trusted)
                {
                    return false;
                }

                // Shared for reading, writing and deleting, so that runs reading it on Windows never stop this write.
                var bytes = Encoding.ASCII.GetBytes(line);
                using (var file = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                {
                    file.Write(bytes, 0, bytes.Length);
                }

                if (first)
                {
                    SweepAbandoned();
                }

                return true;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is TargetInvocationException)
            {
                return false;
            }
        }

        /// <summary>The other runs on the budget now (their last rates), leaving out those that have ended.</summary>
        public IReadOnlyList<PeerState> Read()
        {
            var peers = new List<PeerState>();
            string[] files;
            if (!_trusted)
            {
                return peers;
            }

            try
            {
                files = Directory.GetFiles(_folder, "*" + Extension);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // The folder could not be listed this time: the runs stand as last read (taken for gone, their room
                // would be taken at once).
                peers.AddRange(_lastRead.Values);
                return peers;
            }

            var now = _utcNow();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var id = Path.GetFileNameWithoutExtension(file);
                if (string.Equals(id, Id, StringComparison.Ordinal))
                {
                    continue;
                }

                var (read, writtenAt, state) = TryRead(file, id);
                if (read && now - writtenAt > Abandoned)
                {
                    TryDelete(file);
                }

                if (read ? now - writtenAt > Stale : !_lastRead.ContainsKey(id))
                {
                    // Ended without a word, or never read whole (a stranger's file, a new run's being written): not a
                    // run now (and forgotten below).
                    continue;
                }

                // Read now, or being rewritten as it was read (its last rates stand).
                if (read)
                {
                    _lastRead[id] = state;
                }

                seen.Add(id);
                peers.Add(_lastRead[id]);
            }

            foreach (var gone in new List<string>(_lastRead.Keys))
            {
                if (!seen.Contains(gone))
                {
                    _lastRead.Remove(gone);
                }
            }

            return peers;
        }

        /// <summary>This run has ended: its file goes, and the folder with it when it was the last.</summary>
        public void Dispose()
        {
            TryDelete(_path);
            DeleteIfEmpty(_folder);
        }

        /// <summary>
        /// When a run begins: the files of runs killed long ago on any token and endpoint go, with their folders (a
        /// folder is only read by runs on its own token and endpoint, which may never come again; an emulator's port
        /// changes each time). Only under a folder named peers, as <see cref="FolderFor"/> makes them.
        /// </summary>
        private void SweepAbandoned()
        {
            var peers = Path.GetDirectoryName(_folder);
            if (peers == null || !string.Equals(Path.GetFileName(peers), "peers", StringComparison.Ordinal))
            {
                return;
            }

            var now = _utcNow();
            try
            {
                foreach (var folder in Directory.GetDirectories(peers))
                {
                    foreach (var file in Directory.GetFiles(folder, "*" + Extension))
                    {
                        var (read, writtenAt, _) = TryRead(file, string.Empty);
                        if (now - (read ? writtenAt : File.GetLastWriteTimeUtc(file)) > Abandoned)
                        {
                            TryDelete(file);
                        }
                    }

                    if (!string.Equals(folder, _folder, StringComparison.Ordinal))
                    {
                        DeleteIfEmpty(folder);
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Another user's folder, or one being changed as it was listed: left as it is.
            }
        }

        /// <summary>
        /// Makes the folder when it is missing, its owner's alone (0700 on Linux and macOS, as the module's private files
        /// are; the user's own temp folder on Windows), and tells whether it is: in a folder that others could write,
        /// another user's files could pose as runs on the token and make this one yield, so the run stays on its own.
        /// </summary>
        private static bool Trusted(string folder)
        {
            PrivateFiles.CreateFolder(folder);
            return PrivateFiles.IsWindows || PrivateFiles.HasMode(folder, PrivateFiles.OwnerAll) != false;
        }

        private static double Finite(double rate) => double.IsInfinity(rate) ? -1 : rate;

        private static (bool Read, DateTime WrittenAt, PeerState State) TryRead(string file, string id)
        {
            string text;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                text = reader.ReadToEnd();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return (false, default, default);
            }

            var parts = text.Split(' ');
            if (parts.Length < 5 || parts[0] != "1"
                || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks
                || !TryRate(parts[2], out var accepted) || !TryRate(parts[3], out var rate) || !TryRate(parts[4], out var ceiling))
            {
                return (false, default, default);
            }

            return (true, new DateTime(ticks, DateTimeKind.Utc), new PeerState(id, Math.Max(0, accepted), rate, ceiling));
        }

        private static bool TryRate(string text, out double rate)
        {
            var parsed = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out rate) && !double.IsNaN(rate);
            rate = rate < 0 ? double.PositiveInfinity : rate;
            return parsed;
        }

        private static void DeleteIfEmpty(string folder)
        {
            try
            {
                if (Directory.Exists(folder) && Directory.GetFileSystemEntries(folder).Length == 0)
                {
                    Directory.Delete(folder);
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Another run wrote its file meanwhile: the folder is its.
            }
        }

        private static void TryDelete(string file)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Not ours to delete after all, or already gone: the next reader tries again.
            }
        }
    }
}
