using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IdCardVerify.Client;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// What a worker does for one input: the resilient request, then the portrait file and the
    /// journal line. Runs on worker threads; reports through the engine's message queue only.
    /// </summary>
    internal sealed class Verifier
    {
        private readonly ResilientSender _sender;
        private readonly string? _configJson;
        private readonly double _threshold;
        private readonly CheckpointJournal? _journal;
        private readonly string? _portraitDirectory;
        private readonly Action<EngineMessageKind, string> _post;

        public Verifier(ResilientSender sender, string? configJson, double threshold, CheckpointJournal? journal, string? portraitDirectory, Action<EngineMessageKind, string> post)
        {
            _sender = sender;
            _configJson = configJson;
            _threshold = threshold;
            _journal = journal;
            _portraitDirectory = portraitDirectory;
            _post = post;
        }

        /// <summary>Mask the personal data in each result before it is journaled or emitted (-MaskPersonalData).</summary>
        public bool MaskPersonalData { get; set; }

        public async Task<VerificationResult> VerifyAsync(WorkItem item, CancellationToken cancellation)
        {
            var result = await _sender.VerifyAsync(item.ImageUrl, _configJson, _threshold, cancellation).ConfigureAwait(false);
            if (_portraitDirectory != null && result.HasPortrait)
            {
                var path = Path.Combine(_portraitDirectory, PortraitFileName(item.ImageUrl));
                try
                {
                    result.SavePortrait(path);
                    result.PortraitPath = path;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // The verification was paid for: keep the result, say the file is missing.
                    _post(EngineMessageKind.Warning, $"Input {item.Index}: the portrait could not be written to '{path}': {ex.Message} The result is kept without PortraitPath.");
                }
            }

            if (MaskPersonalData)
            {
                result.MaskPersonalData();
            }

            if (_journal != null)
            {
                try
                {
                    _journal.Append(result, _configJson);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    _post(EngineMessageKind.Warning, $"Input {item.Index}: the checkpoint journal could not be written: {ex.Message} A rerun will verify this input again.");
                }
            }

            return result;
        }

        /// <summary>A stable, unique name per image that carries no personal data.</summary>
        public static string PortraitFileName(string imageUrl)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(imageUrl));
            var hex = new StringBuilder("portrait-", 9 + 16 + 4);
            for (var i = 0; i < 8; i++)
            {
                hex.Append(hash[i].ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return hex.Append(".jpg").ToString();
        }
    }
}
