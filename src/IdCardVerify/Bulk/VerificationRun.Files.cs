using System;
using IdCardVerify.Verification;

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
        /// A local file's journal key: "file:", its full path, and the SHA-256 of the bytes read for this run (the bytes
        /// checked and sent), so that a file changed since an earlier run is verified again, and a file swapped after it
        /// was hashed cannot be answered with another file's result. The journal keeps only a keyed hash of the key.
        /// </summary>
        public static string FileKey(string path, byte[] bytes)
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            return "file:" + path + "#sha256:" + Convert.ToBase64String(sha.ComputeHash(bytes));
        }

        /// <summary>A file's result from the journal (on the worker that read the file), or null; counted as resumed.</summary>
        private VerificationResult? ResumeFile(long index, string path, string key, ExpectedPerson expected) =>
            FromJournal(index, key, Images.ImagePreflight.ForDisplay(path), expected);
    }
}
