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

        /// <summary>True once the run knows where its local files are staged.</summary>
        public bool HasStaging => _stager != null;

        /// <summary>
        /// At the run's first file: where files are staged (<see cref="StagingSetup"/>; the store is tried once, by the
        /// first file's worker). Returns the sentence -Verbose shows.
        /// </summary>
        public string StageFiles(System.Collections.Generic.IDictionary<string, object> bound, Settings.SettingsValues configured, Func<string, (string User, string Password)> readVault)
        {
            Stager = StagingSetup.Create(bound, configured, _options, readVault, _time);
            return "Local files are staged in " + Stager.Describe() + "; each object is deleted as soon as its answer is in, and its read URL lives " + Stager.Lifetime.TotalMinutes + " minutes.";
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
            FromJournal(index, key, Staging.Images.ImagePreflight.ForDisplay(path), expected);
    }
}
