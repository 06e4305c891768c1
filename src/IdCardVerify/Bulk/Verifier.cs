using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IdCardVerify.Client;
using IdCardVerify.Contract;
using IdCardVerify.Verification;
using IdCardVerify.Files;
using IdCardVerify.Resilience;
using IdCardVerify.Staging.Images;
using IdCardVerify.Staging;

namespace IdCardVerify.Bulk
{
    /// <summary>
    /// What a worker does for one input: the resilient request, then the portrait file and the
    /// journal line. Runs on worker threads; reports through <see cref="RunMessages"/> only.
    /// </summary>
    internal sealed class Verifier
    {
        private readonly ResilientSender _sender;
        private readonly string? _configJson;
        private readonly double _threshold;
        private readonly CheckpointJournal? _journal;
        private readonly string? _portraitDirectory;
        private readonly bool _maskPersonalData;
        private readonly bool _qualityAsked;
        private readonly RunMessages _messages;
        private int _saidProbe;

        /// <summary>Stages local files (null until the run meets its first one).</summary>
        public Stager? Stager { get; set; }

        /// <summary>The sandbox's: the simulated card carries the row's identity (<see cref="Sandbox.RowIdentity"/>); null for the API.</summary>
        public Func<ApiAnswer, WorkItem, ApiAnswer>? FollowRow { get; set; }

        /// <summary>A file's result from the journal by its key (path and hash of the bytes read), or null.</summary>
        public Func<long, string, string, ExpectedPerson, VerificationResult?>? Resume { get; set; }

        /// <param name="maskPersonalData">Mask the personal data in each result before it is journaled or emitted (-MaskPersonalData).</param>
        /// <summary>The run's clock (the day a card's dates are judged on).</summary>
        public TimeProvider Time { get; set; } = Files.Clock.System;

        public Verifier(ResilientSender sender, string? configJson, double threshold, CheckpointJournal? journal, string? portraitDirectory, bool maskPersonalData, RunMessages messages)
        {
            _sender = sender;
            _configJson = configJson;
            _threshold = threshold;
            _journal = journal;
            _portraitDirectory = portraitDirectory;
            _maskPersonalData = maskPersonalData;
            _qualityAsked = (RequestConfig.Parse(configJson) & WarningChecks.Quality) != 0;
            _messages = messages;
        }

        public async Task<VerificationResult> VerifyAsync(WorkItem item, CancellationToken cancellation)
        {
            ApiAnswer answer;
            var journalKey = item.ImageUrl;
            var intent = new Intent(this, item);
            if (item.ImagePath == null)
            {
                answer = await intent.Guard(() => _sender.SendAsync(item.ImageUrl, _configJson, cancellation, sending: intent.Sending(journalKey))).ConfigureAwait(false);
            }
            else
            {
                // The file is read once, here, bounded and on the handle that was checked; these bytes are hashed,
                // checked and sent.
                var bytes = ImagePreflight.Read(item.ImagePath);
                if (_journal != null)
                {
                    journalKey = VerificationRun.FileKey(item.ImagePath, bytes);
                    if (Resume?.Invoke(item.Index, item.ImagePath, journalKey, item.Expected) is VerificationResult resumed)
                    {
                        resumed.ImagePath = item.ImagePath;
                        return resumed;
                    }
                }

                var key = journalKey;
                answer = await intent.Guard(() => SendFileAsync(item, item.ImagePath, bytes, cancellation, intent.Sending(key))).ConfigureAwait(false);
            }

            if (FollowRow != null)
            {
                answer = FollowRow(answer, item);
            }

            var result = Decisions.Judge(answer, item.ImagePath == null ? item.ImageUrl : string.Empty, _threshold, _qualityAsked, expected: item.Expected, today: Time.GetLocalNow().Date);
            result.ImagePath = item.ImagePath;
            if (_portraitDirectory != null && result.HasPortrait)
            {
                var path = Path.Combine(_portraitDirectory, PortraitFileName(item.ImageUrl));
                try
                {
                    result.SavePortrait(path);
                    result.PortraitPath = path;
                    result.PortraitWrittenByModule = true;
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // The verification was paid for: keep the result, say the file is missing.
                    _messages.Warning(Words.Format(Text.Portrait_NotWritten, item.Index, path, ex.Message));
                }
            }

            if (_maskPersonalData)
            {
                result.MaskPersonalData();
            }

            if (_journal != null)
            {
                try
                {
                    _journal.Append(result, journalKey);
                }
                catch (IOException ex)
                {
                    // Said once: the journal stops at its first failed write. The run and its results go on.
                    _messages.Warning(Words.Format(Text.Journal_Stopped, item.Index, ex.Message));
                }
            }

            return result;
        }

        /// <summary>
        /// A local file: checked and shrunk before any paid call, staged in the user's store, sent by its short-lived
        /// URL (named in messages by its path only), and the object deleted as soon as the answer is in, or the call
        /// failed, or the run was stopped.
        /// </summary>
        private async Task<ApiAnswer> SendFileAsync(WorkItem item, string path, byte[] bytes, CancellationToken cancellation, Action sending)
        {
            var stager = Stager ?? throw StagingCredentials.NotConfigured(null);
            var prepared = ImagePreflight.Prepare(bytes, path);
            if (prepared.Changed)
            {
                _messages.Verbose(Words.Format(Text.Image_Prepared, item.Index, ImagePreflight.ForDisplay(path), prepared.Change));
            }

            var warning = await stager.ProbeAsync(cancellation).ConfigureAwait(false);
            if (warning != null && Interlocked.Exchange(ref _saidProbe, 1) == 0)
            {
                _messages.Warning(warning);
            }

            var staged = await stager.StageAsync(prepared, Path.GetFileName(path), cancellation).ConfigureAwait(false);
            try
            {
                return await _sender.SendAsync(staged.Url, _configJson, cancellation, display: ImagePreflight.ForDisplay(path), sending: sending).ConfigureAwait(false);
            }
            finally
            {
                var problem = await stager.RemoveAsync(staged).ConfigureAwait(false);
                if (problem != null)
                {
                    _messages.Warning(problem);
                }
            }
        }

        /// <summary>
        /// The journal's account of one input's request: an intent line just before it goes out, and, when it ends in an
        /// error instead of a result (which is journaled as the result), a line that settles it. Only a run killed with
        /// the request in flight leaves an intent unsettled: the next run counts those as possibly billed.
        /// </summary>
        private sealed class Intent
        {
            private readonly Verifier _owner;
            private readonly WorkItem _item;
            private string? _key;

            public Intent(Verifier owner, WorkItem item)
            {
                _owner = owner;
                _item = item;
            }

            public Action Sending(string journalKey) => () =>
            {
                var journal = _owner._journal;
                if (journal == null)
                {
                    return;
                }

                _key = journalKey;
                // A URL as results show it (no query); a file by nothing but its keyed hash, as its result line keeps it.
                Write(() => journal.Intend(journalKey, _item.ImagePath != null ? string.Empty : Redaction.ForDisplay(_item.ImageUrl)));
            };

            public async Task<ApiAnswer> Guard(Func<Task<ApiAnswer>> send)
            {
                try
                {
                    return await send().ConfigureAwait(false);
                }
                catch (Exception ex) when (_key != null && (ex is IdCardVerifyApiException || ex is OperationCanceledException))
                {
                    var key = _key;
                    Write(() => _owner._journal!.Settle(key, ex is IdCardVerifyApiException api ? api.ErrorId : "NotVerified"));
                    throw;
                }
            }

            private void Write(Action write)
            {
                try
                {
                    write();
                }
                catch (IOException ex)
                {
                    _owner._messages.Warning(Words.Format(Text.Journal_Stopped, _item.Index, ex.Message));
                }
            }
        }

        /// <summary>A stable, unique name per image that carries no personal data.</summary>
        public static string PortraitFileName(string imageUrl)
        {
            return "portrait-" + ShortHash.Of(imageUrl, 8) + ".jpg";
        }
    }
}
