using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IdCardVerify.Staging.Images;
using IdCardVerify.Files;

namespace IdCardVerify.Staging
{
    /// <summary>A file staged for one request: the object's name and the short-lived URL the API downloads it through.</summary>
    internal sealed class StagedImage
    {
        public StagedImage(string name, string url, IDisposable? lease = null)
        {
            Name = name;
            Url = url;
            Lease = lease;
        }

        /// <summary>The URL's signature held as a secret (<see cref="Secrets"/>) until the object is deleted.</summary>
        public IDisposable? Lease { get; }

        /// <summary>The signature values of a minted read URL (S3's signature, Azure's sig), raw and decoded: scrubbed by value while it lives.</summary>
        public static string?[] SignatureOf(Uri url)
        {
            var found = new List<string?>();
            foreach (var part in url.Query.TrimStart('?').Split('&'))
            {
                var eq = part.IndexOf('=');
                var name = eq < 0 ? string.Empty : part.Substring(0, eq);
                if (name.Equals("X-Amz-Signature", StringComparison.OrdinalIgnoreCase) || name.Equals("sig", StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(part.Substring(eq + 1));
                    found.Add(Uri.UnescapeDataString(part.Substring(eq + 1)));
                }
            }

            found.Add(url.AbsoluteUri);
            return found.ToArray();
        }

        public string Name { get; }

        /// <summary>A credential while it lives: never shown, journaled or written anywhere.</summary>
        public string Url { get; }
    }

    /// <summary>
    /// Stages the run's files in the user's own store: checks the store once before the first file (write a probe,
    /// read it through its URL, delete it), uploads each file under a random name, hands out a read URL that lives
    /// <see cref="Lifetime"/>, and deletes the object as soon as the answer is in (or the row fails, or the run is
    /// stopped). A ledger on disk lists what is up, so a killed run's objects are deleted by the next.
    /// With the sandbox, nothing leaves the machine: the URL is made up and nothing is stored.
    /// </summary>
    internal sealed class Stager : IDisposable
    {
        /// <summary>How long a read URL lives by default.</summary>
        public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

        private static readonly byte[] ProbeImage = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

        private readonly StagingStore? _store;
        private readonly HttpMessageInvoker? _http;
        private readonly string? _ledgerFolder;
        private readonly object _gate = new object();
        private readonly TimeProvider _time;
        private StagingLedger? _ledger;
        private int _up;
        private Task<string?>? _probe;

        /// <param name="store">The store; null for the sandbox (simulated staging).</param>
        /// <param name="http">The client the probe reads the object through (the API's view: no credentials).</param>
        /// <param name="ledgerFolder">Where run ledgers live; null: no ledger (no home folder).</param>
        /// <param name="time">The run's clock (<see cref="Clock.System"/> when none is given).</param>
        public Stager(StagingStore? store, HttpMessageInvoker? http, TimeSpan lifetime, string? ledgerFolder, TimeProvider? time = null)
        {
            _time = time ?? Clock.System;
            _store = store;
            _http = http;
            Lifetime = lifetime;
            _ledgerFolder = ledgerFolder;
        }

        public TimeSpan Lifetime { get; }

        /// <summary>Why staging cannot be used (no store set up, no credentials): every file's row fails with it, and the run stops.</summary>
        public IdCardVerifyApiException? SetupError { get; private set; }

        /// <summary>A stager that cannot stage: the first file stops the run with <paramref name="error"/>.</summary>
        public static Stager Failed(IdCardVerifyApiException error)
        {
            error.StopsRun = true;
            return new Stager(null, null, DefaultLifetime, null) { SetupError = error };
        }

        public bool Simulated => _store == null;

        /// <summary>Objects are up or being deleted: a stopped run's close waits for them (in the background).</summary>
        public bool Busy => Volatile.Read(ref _up) > 0;

        /// <summary>The store, for messages ("the bucket 'x' (…)", or the sandbox).</summary>
        public string Describe() => SetupError != null ? Words.Format(Text.Staging_NoStore, SetupError.ErrorId) : _store?.Target.Describe() ?? Text.Staging_Simulated;

        /// <summary>
        /// Checks the store once (the first caller waits, every later one gets the same outcome): throws the
        /// Staging… error when it cannot be used; returns a warning (objects readable without a signature), or null.
        /// Then deletes what earlier, killed runs left there.
        /// </summary>
        public Task<string?> ProbeAsync(CancellationToken cancellation)
        {
            lock (_gate)
            {
                return _probe ??= SetupError != null ? Task.FromException<string?>(SetupError) : Task.Run(() => ProbeOnceAsync(cancellation), cancellation);
            }
        }

        public async Task<StagedImage> StageAsync(PreparedImage image, string fileName, CancellationToken cancellation)
        {
            var name = StagingNames.New(image.ContentType);
            if (_store == null)
            {
                // The sandbox reads its scenario keywords from the URL's file name: the file's own name goes there.
                return new StagedImage(name, "https://staging.sandbox.invalid/" + name + "/" + Uri.EscapeDataString(fileName));
            }

            _ledger?.Staging(name);
            // Up from now until its delete ends (RemoveAsync), so that Dispose waits for it.
            Interlocked.Increment(ref _up);
            try
            {
                await _store.PutAsync(name, image.Bytes, image.ContentType, cancellation).ConfigureAwait(false);
            }
            catch
            {
                // Not up (or, if the store kept it anyway, in the ledger for the next run).
                Interlocked.Decrement(ref _up);
                throw;
            }

            var url = _store.ReadUrl(name, Lifetime);
            return new StagedImage(name, url.AbsoluteUri, Secrets.Lease(StagedImage.SignatureOf(url)));
        }

        /// <summary>Deletes a staged object; a failure is returned as a message (the object stays in the ledger for the next run), never thrown.</summary>
        public async Task<string?> RemoveAsync(StagedImage staged)
        {
            if (_store == null)
            {
                return null;
            }

            var counted = staged.Url.Length > 0;
            try
            {
                // Not the run's token: a stopped run still deletes what it staged.
                using var timeout = _time.CreateCancellationTokenSource(TimeSpan.FromSeconds(30));
                await _store.DeleteAsync(staged.Name, timeout.Token).ConfigureAwait(false);
                _ledger?.Deleted(staged.Name);
                return null;
            }
            catch (Exception ex) when (ex is IdCardVerifyApiException || ex is OperationCanceledException)
            {
                return Words.Format(Text.Staging_NotDeleted, staged.Name, _store.Target.Describe(), ex.Message);
            }
            finally
            {
                staged.Lease?.Dispose();
                if (counted)
                {
                    Interlocked.Decrement(ref _up);
                }
            }
        }

        /// <summary>
        /// Closes the ledger, after waiting (10 s at most) for the deletes under way: a run stopped with Ctrl+C cancels
        /// its requests, and each one's object is deleted as it unwinds. What is still up then stays in the ledger.
        /// </summary>
        public void Dispose()
        {
            var started = _time.GetTimestamp();
            while (Volatile.Read(ref _up) > 0 && _time.GetElapsedTime(started) < TimeSpan.FromSeconds(10))
            {
                _time.Sleep(TimeSpan.FromMilliseconds(20));
            }

            _ledger?.Dispose();
        }

        private async Task<string?> ProbeOnceAsync(CancellationToken cancellation)
        {
            if (_store == null)
            {
                return null;
            }

            try
            {
                return await TryStoreAsync(cancellation).ConfigureAwait(false);
            }
            catch (IdCardVerifyApiException ex)
            {
                // The store cannot be used: every file would fail alike, so the run stops, before any paid call for a file.
                ex.StopsRun = true;
                throw;
            }
            catch (OperationCanceledException ex) when (!cancellation.IsCancellationRequested)
            {
                var error = _store.Unavailable(Text.Staging_ReadBackProbe, Text.Staging_NoAnswerInTime, ex);
                error.StopsRun = true;
                throw error;
            }
        }

        private async Task<string?> TryStoreAsync(CancellationToken cancellation)
        {
            var name = StagingNames.New("image/png");
            await _store!.PutAsync(name, ProbeImage, "image/png", cancellation).ConfigureAwait(false);
            string? warning = null;
            try
            {
                using (var timeout = _time.Within(cancellation, _store!.Timeout))
                using (var read = new HttpRequestMessage(HttpMethod.Get, _store.ReadUrl(name, Lifetime)))
                using (var answer = await _http!.SendAsync(read, timeout.Token).ConfigureAwait(false))
                {
                    if (!answer.IsSuccessStatusCode)
                    {
                        var clock = _store.ClockProblem("AccessDenied", answer.Headers.Date);
                        throw new IdCardVerifyApiException(Words.Format(Text.Staging_ProbeRefused, _store.Target.Describe(), (int)answer.StatusCode, clock ?? Text.Staging_ProbeCheck))
                        {
                            ErrorId = "StagingAccessDenied",
                            StatusCode = (int)answer.StatusCode,
                            Kind = ApiFailureKind.Forbidden,
                        };
                    }
                }

                using (var timeout = _time.Within(cancellation, _store!.Timeout))
                using (var plain = new HttpRequestMessage(HttpMethod.Get, _store.PlainUrl(name)))
                using (var answer = await _http.SendAsync(plain, timeout.Token).ConfigureAwait(false))
                {
                    if (answer.IsSuccessStatusCode)
                    {
                        warning = Words.Format(Text.Staging_Public, _store.Target.Describe());
                    }
                }
            }
            finally
            {
                await _store.DeleteAsync(name, cancellation).ConfigureAwait(false);
            }

            if (_ledgerFolder != null)
            {
                foreach (var (ledger, names) in StagingLedger.Leftovers(_ledgerFolder, _store.Target.Display))
                {
                    var all = true;
                    foreach (var leftover in names)
                    {
                        all &= await RemoveAsync(new StagedImage(leftover, string.Empty)).ConfigureAwait(false) == null;
                    }

                    if (all)
                    {
                        try
                        {
                            System.IO.File.Delete(ledger);
                        }
                        catch (System.IO.IOException)
                        {
                        }
                    }
                }

                try
                {
                    _ledger = StagingLedger.Begin(_ledgerFolder, _store.Target.Display);
                }
                catch (System.IO.IOException ex)
                {
                    var note = ex.Message + Text.Staging_NoLedger;
                    warning = warning == null ? note : warning + " " + note;
                }
            }

            return warning;
        }
    }
}
