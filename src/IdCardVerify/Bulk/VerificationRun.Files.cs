using System;
using System.IO;

namespace IdCardVerify.Bulk
{
    /// <summary>A run's local files: where they are staged, and their journal keys.</summary>
    internal sealed partial class VerificationRun
    {
        /// <summary>Stages the run's local files; set by the command at the first file (null until then).</summary>
        public Staging.Stager? Stager
        {
            get => _stager;
            set
            {
                _stager = value;
                if (_verifier != null)
                {
                    _verifier.Stager = value;
                }
            }
        }

        /// <summary>
        /// A local file's journal key: "file:" and its full path, and with a journal its SHA-256 too, so that a file
        /// changed since an earlier run is verified again (the journal keeps only a keyed hash of the key).
        /// </summary>
        public string FileKey(string path)
        {
            if (_journal == null)
            {
                return "file:" + path;
            }

            try
            {
                using var stream = File.OpenRead(path);
                using var sha = System.Security.Cryptography.SHA256.Create();
                return "file:" + path + "#sha256:" + Convert.ToBase64String(sha.ComputeHash(stream));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Unreadable: the row fails in its check, and is not found in the journal.
                return "file:" + path;
            }
        }
    }
}
