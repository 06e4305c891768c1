using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IdCardVerify.Client;
using IdCardVerify.Contract;

namespace IdCardVerify.Settings
{
    /// <summary>
    /// Everything one Invoke-IdCardVerification run uses, resolved once when it begins (through
    /// <see cref="OptionResolver"/>) and never changed after. The token is not here: it is resolved
    /// when the first call is about to be made, so a -WhatIf run or a run with no valid input needs none.
    /// </summary>
    internal sealed class RunOptions
    {
        private RunOptions()
        {
        }

        public double Threshold { get; private set; }

        public bool Sandbox { get; private set; }

        /// <summary>The endpoint to call, validated (https, or http to loopback) and normalised.</summary>
        public Uri Endpoint { get; private set; } = IdCardVerifyClient.DefaultEndpoint;

        /// <summary>The config string sent with every request; null sends none.</summary>
        public string? ConfigJson { get; private set; }

        public int ThrottleLimit { get; private set; }

        public int MaxRetries { get; private set; }

        public int TimeoutSec { get; private set; }

        /// <summary>Client-side rate limit; 0 or less is none.</summary>
        public double RequestsPerSecond { get; private set; }

        public bool MaskPersonalData { get; private set; }

        /// <summary>How many inputs to expect (for progress), when known.</summary>
        public long? TotalCount { get; private set; }

        /// <summary>The portrait folder as a file-system path, or null.</summary>
        public string? PortraitDirectory { get; private set; }

        /// <summary>The checkpoint journal as a file-system path, or null.</summary>
        public string? CheckpointPath { get; private set; }

        /// <summary>How requests reach the API.</summary>
        public ProxySettings Proxy { get; private set; } = ProxySettings.System;

        /// <summary>Yield a Verdict Error row in place of each input that ended in an error.</summary>
        public bool IncludeFailed { get; private set; }

        /// <summary>Move a journal written under other settings aside and begin a new one, instead of stopping.</summary>
        public bool RestartCheckpoint { get; private set; }

        /// <summary>
        /// Resolves the options of a run. Throws <see cref="RunSetupException"/> for an endpoint or a
        /// config that cannot be used.
        /// </summary>
        /// <param name="bound">The parameters given, by name (the cmdlet's parameter names are the option names).</param>
        /// <param name="configured">The session's settings over the stored ones.</param>
        /// <param name="toFileSystemPath">Turns a PowerShell path into a file-system path.</param>
        /// <param name="inputCount">The number of inputs when they were given as an array, not piped.</param>
        public static RunOptions Resolve(IDictionary<string, object> bound, SettingsValues configured, Func<string, string> toFileSystemPath, long? inputCount)
        {
            var pick = new OptionResolver(configured, bound);
            var options = new RunOptions
            {
                Threshold = pick.Pick(nameof(Threshold), v => v.Threshold, Defaults.Threshold),
                Sandbox = pick.Pick(nameof(Sandbox), v => v.Sandbox, Defaults.Sandbox),
                ThrottleLimit = pick.Pick(nameof(ThrottleLimit), v => v.ThrottleLimit, Defaults.ThrottleLimit),
                MaxRetries = pick.Pick(nameof(MaxRetries), v => v.MaxRetries, Defaults.MaxRetries),
                TimeoutSec = pick.Pick(nameof(TimeoutSec), v => v.TimeoutSec, Defaults.TimeoutSec),
                RequestsPerSecond = pick.Pick(nameof(RequestsPerSecond), v => v.RequestsPerSecond, Defaults.RequestsPerSecond),
                MaskPersonalData = pick.Pick(nameof(MaskPersonalData), _ => null, false),
                TotalCount = bound.TryGetValue(nameof(TotalCount), out var total) ? (long)total : inputCount,
                PortraitDirectory = bound.TryGetValue(nameof(PortraitDirectory), out var portraits) ? toFileSystemPath((string)portraits) : null,
                CheckpointPath = bound.TryGetValue(nameof(CheckpointPath), out var journal) ? toFileSystemPath((string)journal) : null,
                RestartCheckpoint = pick.Pick(nameof(RestartCheckpoint), _ => null, false),
                IncludeFailed = pick.Pick(nameof(IncludeFailed), v => v.IncludeFailed, Defaults.IncludeFailed),
            };

            options.Proxy = ResolveProxy(pick, bound, configured);
            if (options.MaskPersonalData && options.PortraitDirectory != null)
            {
                throw RunSetupException.InvalidArgument(
                    "MaskPersonalDataWithPortraits",
                    Text.Options_MaskAndPortrait,
                    bound[nameof(PortraitDirectory)]);
            }

            try
            {
                options.Endpoint = EndpointPolicy.Validate(pick.Endpoint(nameof(Endpoint)));
            }
            catch (ArgumentException ex)
            {
                throw new RunSetupException("InvalidEndpoint", SetupFailure.InvalidArgument, ex) { Target = bound.TryGetValue(nameof(Endpoint), out var given) && given is Uri givenUri ? Redaction.Url(givenUri.OriginalString) : null };
            }

            options.ConfigJson = bound.TryGetValue("ConfigJson", out var raw)
                ? CheckedConfigJson((string)raw, bound)
                : RequestConfig.Build(pick.Checks, pick.Pick("ConfigKeyStyle", v => v.ConfigKeyStyle, Defaults.KeyStyle));
            return options;
        }

        /// <summary>One line for -Verbose: where the calls go and how.</summary>
        public string Describe() => string.Format(
            CultureInfo.InvariantCulture,
            Text.Options_Describe,
            Sandbox ? Text.Options_Sandbox : Words.Format(Text.Options_Endpoint, Redaction.Url(Endpoint.AbsoluteUri)),
            ThrottleLimit,
            Sandbox ? Text.Options_RateSandbox : RequestsPerSecond <= 0 ? Text.Options_RateNone : Words.Format(Text.Options_RateAtMost, RequestsPerSecond.ToString(CultureInfo.InvariantCulture)),
            MaxRetries,
            TimeoutSec,
            Threshold);

        /// <summary>-Proxy, -ProxyCredential, -ProxyUseDefaultCredentials, -NoProxy, over the session's.</summary>
        public static ProxySettings ResolveProxy(OptionResolver pick, IDictionary<string, object> bound, SettingsValues configured)
        {
            var noProxy = pick.Pick("NoProxy", v => v.NoProxy, false);
            if (noProxy && bound.ContainsKey("Proxy"))
            {
                throw RunSetupException.InvalidArgument("ProxyConflict", Text.Options_ProxyConflict, bound["Proxy"] is Uri conflicting ? Redaction.Url(conflicting.OriginalString) : null);
            }

            if (noProxy)
            {
                return new ProxySettings(null, null, false, true);
            }

            var address = (bound.TryGetValue("Proxy", out var given) ? given as Uri : null) ?? configured.Proxy;
            var problem = address == null ? null : ProxySettings.Problem(address);
            if (problem != null)
            {
                throw RunSetupException.InvalidArgument("InvalidProxy", problem, Redaction.Url(address!.OriginalString));
            }

            var credential = (bound.TryGetValue("ProxyCredential", out var c) ? c as System.Net.NetworkCredential : null) ?? configured.ProxyCredential;
            return new ProxySettings(address, credential, pick.Pick("ProxyUseDefaultCredentials", v => v.ProxyUseDefaultCredentials, false), false);
        }

        private static string CheckedConfigJson(string configJson, IDictionary<string, object> bound)
        {
            var passed = WarningCheck.All.Where(c => bound.ContainsKey(c.SwitchName)).Select(c => "-" + c.SwitchName).ToArray();
            if (passed.Length > 0)
            {
                throw RunSetupException.InvalidArgument(
                    "ConfigJsonWithSwitches",
                    Words.Format(Text.Options_ConfigJsonConflict, string.Join(", ", passed)),
                    configJson);
            }

            var reason = RequestConfig.Validate(configJson);
            if (reason != null)
            {
                throw RunSetupException.InvalidArgument(
                    "InvalidConfigJson",
                    Words.Format(Text.Options_ConfigJsonNotObject, reason),
                    configJson);
            }

            return configJson;
        }
    }
}
