using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using IdCardVerify.Files;

namespace IdCardVerify.Pacing
{
    /// <summary>A <see cref="PeerBoard"/>'s files: which folders are trusted, which files are read, and how.</summary>
    internal static class PeerFiles
    {
        /// <summary>
        /// Makes the folders from <paramref name="root"/> down to <paramref name="folder"/> when missing, each its owner's
        /// alone (0700 on Linux and macOS; the user's own profile on Windows), and tells whether every one of them, the
        /// cache folder included, is a real folder of this user's that no one else can write: otherwise another user's
        /// files could pose as runs on the token (and make this one yield), or feed it what it cannot read safely, so the
        /// run stays on its own.
        /// </summary>
        public static bool Trusted(string folder, string? root)
        {
            if (root == null)
            {
                return false;
            }

            var chain = new List<string>();
            for (var level = folder; level != null && level.Length >= root.Length; level = Path.GetDirectoryName(level))
            {
                chain.Add(level);
            }

            chain.Reverse();
            foreach (var level in chain)
            {
                if (!Directory.Exists(level))
                {
                    Directory.CreateDirectory(level);
                    if (!PrivateFiles.IsWindows)
                    {
                        PrivateFiles.SetMode(level, PrivateFiles.OwnerAll);
                    }
                }

                // The cache folder itself may be group-writable (umask 002 gives a home's folders to the user's own group);
                // every folder the board makes below it is 0700 and must stay so.
                if (!PrivateFiles.IsOwnFolder(level, groupMayWrite: level == root))
                {
                    return false;
                }
            }

            return PrivateFiles.IsWindows || PrivateFiles.HasMode(folder, PrivateFiles.OwnerAll) != false;
        }

        /// <summary>The first <see cref="PeerBoard.MaxFilesPerTick"/> run files of a folder.</summary>
        public static string[] Listed(string folder)
        {
            var files = new List<string>();
            foreach (var file in Directory.EnumerateFiles(folder, "*" + PeerBoard.Extension))
            {
                if (files.Count >= PeerBoard.MaxFilesPerTick)
                {
                    break;
                }

                files.Add(file);
            }

            return files.ToArray();
        }

        public static double Finite(double rate) => double.IsInfinity(rate) ? -1 : rate;

        public static (bool Read, DateTime WrittenAt, PeerState State) TryRead(string file, string id)
        {
            string text;
            try
            {
                // A regular file reached without a link, and small: never a FIFO (which would block), a device or a link
                // to one (which would never end), nor a huge file.
                if (!PrivateFiles.IsPlainFile(file, PeerBoard.MaxFileBytes))
                {
                    return (false, default, default);
                }

                var bytes = BoundedFile.Read(file, PeerBoard.MaxFileBytes);
                text = Encoding.ASCII.GetString(bytes);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                return (false, default, default);
            }

            var parts = text.Split(' ');
            if (parts.Length != 5 || parts[0] != "1"
                || !long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ticks) || ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks
                || !TryRate(parts[2], false, out var accepted) || !TryRate(parts[3], true, out var rate) || !TryRate(parts[4], true, out var ceiling))
            {
                return (false, default, default);
            }

            return (true, new DateTime(ticks, DateTimeKind.Utc), new PeerState(id, accepted, rate, ceiling));
        }

        /// <summary>
        /// A rate as a run writes it: a finite number from 0 to the largest -RequestsPerSecond, or (for a rate or a ceiling
        /// without a limit) exactly -1. Anything else (infinities, NaN, 1e300, other negatives) makes the file no run's.
        /// </summary>
        public static bool TryRate(string text, bool unlimitedAllowed, out double rate)
        {
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out rate) || double.IsNaN(rate) || double.IsInfinity(rate))
            {
                return false;
            }

            if (rate == -1 && unlimitedAllowed)
            {
                rate = double.PositiveInfinity;
                return true;
            }

            return rate >= 0 && rate <= PeerBoard.MaxRate;
        }

        public static void DeleteIfEmpty(string folder)
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

        public static void TryDelete(string file)
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
