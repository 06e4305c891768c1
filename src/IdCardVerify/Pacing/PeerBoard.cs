using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text;
using IdCardVerify.Files;

namespace IdCardVerify.Pacing
{
    /// <summary>
    /// Where runs in separate processes on one token and endpoint see each other: a folder per token and endpoint in the
    /// user's own cache folder (named by a hash of the endpoint and the token's hash; neither is ever written),
    /// one small file per run holding the time it was written and the run's rates, nothing else. Each run rewrites
    /// its own every <see cref="Period"/> and reads the others'; a file not rewritten for <see cref="Stale"/> is a
    /// run that ended without a word (killed, crashed), and one that ended in order deletes its own. Anything the
    /// file system refuses (a full disk, a read-only folder) leaves a run on its own, as before: never an error.
    /// Other users and stray files cannot steer it: every folder from the cache folder down must be a real folder (not a
    /// link) of this user's that no one else can write, or the board is not used; only regular files are read (never a
    /// link, a FIFO or a device), at most <see cref="MaxFileBytes"/> of each and <see cref="MaxFilesPerTick"/> a tick;
    /// a time in the future or a rate out of range makes a file no run's.
    /// </summary>
    internal sealed class PeerBoard : IDisposable
    {
        /// <summary>How often a run shows its rates and reads the others'.</summary>
        public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);

        /// <summary>A run whose file has not been rewritten for this long has ended.</summary>
        public static readonly TimeSpan Stale = TimeSpan.FromSeconds(3);

        /// <summary>A file this old is a dead run's: a run on its token that reads it, or the next run to begin on any, deletes it.</summary>
        public static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(1);

        internal const string Extension = ".peer";

        /// <summary>The largest rate a run's file may show (a run's ceiling is at most 10,000/s): anything over it is no run's.</summary>
        internal const double MaxRate = 100_000;

        /// <summary>A run's file is one short line: anything larger is no run's.</summary>
        public const int MaxFileBytes = 256;

        /// <summary>The most files read at a tick, and deleted by a sweep: a folder stuffed with files costs a run nothing more.</summary>
        public const int MaxFilesPerTick = 64;

        /// <summary>A file written this far ahead of this clock is no run's (clocks of one machine agree far better).</summary>
        public static readonly TimeSpan Skew = TimeSpan.FromSeconds(3);

        private readonly string _folder;
        private readonly string? _root;
        private readonly string _path;
        private readonly TimeProvider _time;
        private readonly Dictionary<string, PeerState> _lastRead = new Dictionary<string, PeerState>(StringComparer.Ordinal);

        // The folder was last found its owner's alone: only then are other files in it read.
        private bool _trusted;

        /// <param name="folder">The token and endpoint's folder (<see cref="FolderFor"/>).</param>
        /// <param name="id">This run's id, unique among the runs on them.</param>
        /// <param name="time">The clock (its wall time is what the runs share); a test passes its own.</param>
        /// <param name="root">The highest folder that must be this user's alone (the cache folder); the board folder's parent when null.</param>
        public PeerBoard(string folder, string id, TimeProvider? time = null, string? root = null)
        {
            _folder = folder;
            _root = root ?? Path.GetDirectoryName(folder);
            Id = id;
            _path = Path.Combine(folder, id + Extension);
            _time = time ?? Clock.System;
        }

        public string Id { get; }

        /// <summary>
        /// The folder of the token and endpoint keyed <paramref name="key"/>, under the user's own cache folder
        /// (%LOCALAPPDATA% on Windows; $XDG_CACHE_HOME or ~/.cache elsewhere); null where there is none (no home folder):
        /// the run then stays on its own. Never the shared temp folder, where another user can make the path first.
        /// </summary>
        public static string? FolderFor(string key) => BaseFolder() is string root ? Path.Combine(root, "IdCardVerify", "peers", ShortHash.Of(key, 12)) : null;

        /// <summary>The user's cache folder the board lives under, or null.</summary>
        internal static string? BaseFolder()
        {
            string? root;
            if (PrivateFiles.IsWindows)
            {
                root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            }
            else
            {
                root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                if (string.IsNullOrEmpty(root) || !Path.IsPathRooted(root))
                {
                    var home = Environment.GetEnvironmentVariable("HOME");
                    root = string.IsNullOrEmpty(home) || !Path.IsPathRooted(home) ? null : Path.Combine(home, ".cache");
                }
            }

            return string.IsNullOrEmpty(root) ? null : root;
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
                _time.GetUtcNow().UtcDateTime.Ticks,
                own.Accepted,
                PeerFiles.Finite(own.Rate),
                PeerFiles.Finite(own.Ceiling));
            try
            {
                var first = !_trusted;
                _trusted = PeerFiles.Trusted(_folder, _root);
                if (!_trusted)
                {
                    return false;
                }

                // Shared for reading, writing and deleting, so that runs reading it on Windows never stop this write.
                // Never through a link planted at the name (a link is deleted, not followed).
                var bytes = Encoding.ASCII.GetBytes(line);
                if (PrivateFiles.IsOtherThanFile(_path))
                {
                    // A link, a FIFO (opening it would block) or a device at this run's name: deleted, never opened.
                    File.Delete(_path);
                }

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
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is TargetInvocationException || e is ArgumentException || e is NotSupportedException)
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
                files = PeerFiles.Listed(_folder);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // The folder could not be listed this time: the runs stand as last read (taken for gone, their room
                // would be taken at once).
                peers.AddRange(_lastRead.Values);
                return peers;
            }

            var now = _time.GetUtcNow().UtcDateTime;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                var id = Path.GetFileNameWithoutExtension(file);
                if (string.Equals(id, Id, StringComparison.Ordinal))
                {
                    continue;
                }

                var (read, writtenAt, state) = PeerFiles.TryRead(file, id);
                if (read && writtenAt - now > Skew)
                {
                    // Dated ahead: it would never turn stale, so it is no run's, and goes.
                    PeerFiles.TryDelete(file);
                    read = false;
                }

                if (read && now - writtenAt > Abandoned)
                {
                    PeerFiles.TryDelete(file);
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
            PeerFiles.TryDelete(_path);
            PeerFiles.DeleteIfEmpty(_folder);
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

            var now = _time.GetUtcNow().UtcDateTime;
            try
            {
                var swept = 0;
                foreach (var folder in Directory.EnumerateDirectories(peers))
                {
                    // Only folders of this user's that no one else can write (a link or a stranger's folder is left alone).
                    if (swept >= MaxFilesPerTick || !PrivateFiles.IsOwnFolder(folder))
                    {
                        continue;
                    }

                    foreach (var file in PeerFiles.Listed(folder))
                    {
                        swept++;
                        var (read, writtenAt, _) = PeerFiles.TryRead(file, string.Empty);
                        var age = now - (read ? writtenAt : File.GetLastWriteTimeUtc(file));
                        if (age > Abandoned || -age > Skew)
                        {
                            PeerFiles.TryDelete(file);
                        }
                    }

                    if (!string.Equals(folder, _folder, StringComparison.Ordinal))
                    {
                        PeerFiles.DeleteIfEmpty(folder);
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
            {
                // A folder being changed as it was listed: left as it is.
            }
        }
    }
}
