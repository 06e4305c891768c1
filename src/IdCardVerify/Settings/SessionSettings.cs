using System;
using System.Runtime.CompilerServices;
using System.Security;
using IdCardVerify.Contract;

namespace IdCardVerify.Settings
{
    /// <summary>
    /// The Process-scope defaults set with Set-IdCardVerifyConfig, one set per PowerShell session (runspace):
    /// a ThreadJob, a ForEach-Object -Parallel block or another runspace in the same host has its own, and
    /// one script's -Reset resets only its own. Null means "not set here": the next source (the CurrentUser
    /// store, then the built-in default) decides. The session is named by a key the cmdlets pass (their
    /// runspace), so this room needs no PowerShell type.
    /// </summary>
    internal static class SessionSettings
    {
        private static readonly ConditionalWeakTable<object, Holder> PerSession = new ConditionalWeakTable<object, Holder>();
        private static readonly Holder NoSession = new Holder();

        public static SettingsValues Current(object? session) => Of(session).Get();

        public static void Update(object? session, Action<SettingsValues> change) => Of(session).Update(change);

        public static void Reset(object? session) => Of(session).Reset();

        private static Holder Of(object? session) => session == null ? NoSession : PerSession.GetValue(session, _ => new Holder());

        private sealed class Holder
        {
            private readonly object _gate = new object();
            private SettingsValues _values = new SettingsValues();

            public SettingsValues Get()
            {
                lock (_gate)
                {
                    return _values.Clone();
                }
            }

            public void Update(Action<SettingsValues> change)
            {
                lock (_gate)
                {
                    var copy = _values.Clone();
                    change(copy);
                    _values = copy;
                }
            }

            public void Reset()
            {
                lock (_gate)
                {
                    _values.Token?.Dispose();
                    _values = new SettingsValues();
                }
            }
        }
    }

    /// <summary>The settings a command uses: the session's over the CurrentUser store's.</summary>
    internal static class EffectiveSettings
    {
        /// <summary>Session values over stored ones; <paramref name="stored"/> keeps the store's own (for its token).</summary>
        public static SettingsValues Load(object? session, out SettingsValues stored, out string? warning)
        {
            stored = UserStore.Load(out warning);
            return SessionSettings.Current(session).Over(stored);
        }
    }

    /// <summary>One set of configured values; every field optional.</summary>
    internal sealed class SettingsValues
    {
        /// <summary>What is wrong with a proxy URL before it is kept (a password in it would show wherever settings are shown); null when nothing.</summary>
        public static string? ProxyProblem(Uri proxy) => Client.ProxySettings.Problem(proxy);

        /// <summary>Set when the CurrentUser store held values outside the bounds (each left out): the one error a run gives before any call.</summary>
        public string? InvalidStored { get; set; }

        public SecureString? Token { get; set; }

        public Uri? Endpoint { get; set; }

        public double? Threshold { get; set; }

        public int? ThrottleLimit { get; set; }

        public int? MaxRetries { get; set; }

        public int? TimeoutSec { get; set; }

        public double? RequestsPerSecond { get; set; }

        public ConfigKeyStyle? ConfigKeyStyle { get; set; }

        public bool? Sandbox { get; set; }

        public bool? IncludeFailed { get; set; }

        /// <summary>Session only, never stored: the proxy, its credential, the Windows logon for it, or no proxy.</summary>
        public Uri? Proxy { get; set; }

        public System.Net.NetworkCredential? ProxyCredential { get; set; }

        public bool? ProxyUseDefaultCredentials { get; set; }

        public bool? NoProxy { get; set; }

        /// <summary>The SecretManagement secret holding the token (the name only, never the secret).</summary>
        public string? SecretName { get; set; }

        /// <summary>The vault of <see cref="SecretName"/>; null for the default vault.</summary>
        public string? Vault { get; set; }

        public WarningChecks? WarningChecks { get; set; }

        /// <summary>Where local files are staged (s3://bucket/prefix or an Azure container's URL); stored.</summary>
        public Uri? StagingUri { get; set; }

        /// <summary>The S3-compatible store's endpoint (COS, OSS, MinIO); stored.</summary>
        public Uri? StagingEndpoint { get; set; }

        /// <summary>The S3 region signed for; stored.</summary>
        public string? StagingRegion { get; set; }

        /// <summary>The SecretManagement secret with the store's credentials (the name only); stored.</summary>
        public string? StagingSecretName { get; set; }

        /// <summary>Session only, never stored: the store's credentials.</summary>
        public System.Net.NetworkCredential? StagingCredential { get; set; }

        /// <summary>These values, with every unset one taken from <paramref name="fallback"/> (the token excepted: the token chain orders it).</summary>
        public SettingsValues Over(SettingsValues fallback)
        {
            var merged = Clone();
            merged.InvalidStored ??= fallback.InvalidStored;
            merged.Endpoint ??= fallback.Endpoint;
            merged.Threshold ??= fallback.Threshold;
            merged.ThrottleLimit ??= fallback.ThrottleLimit;
            merged.MaxRetries ??= fallback.MaxRetries;
            merged.TimeoutSec ??= fallback.TimeoutSec;
            merged.RequestsPerSecond ??= fallback.RequestsPerSecond;
            merged.ConfigKeyStyle ??= fallback.ConfigKeyStyle;
            merged.Sandbox ??= fallback.Sandbox;
            merged.IncludeFailed ??= fallback.IncludeFailed;
            merged.Proxy ??= fallback.Proxy;
            merged.ProxyCredential ??= fallback.ProxyCredential;
            merged.ProxyUseDefaultCredentials ??= fallback.ProxyUseDefaultCredentials;
            merged.NoProxy ??= fallback.NoProxy;
            if (merged.SecretName == null)
            {
                merged.SecretName = fallback.SecretName;
                merged.Vault = fallback.Vault;
            }
            merged.WarningChecks ??= fallback.WarningChecks;
            merged.StagingUri ??= fallback.StagingUri;
            merged.StagingEndpoint ??= fallback.StagingEndpoint;
            merged.StagingRegion ??= fallback.StagingRegion;
            merged.StagingSecretName ??= fallback.StagingSecretName;
            merged.StagingCredential ??= fallback.StagingCredential;
            return merged;
        }

        public SettingsValues Clone()
        {
            var copy = (SettingsValues)MemberwiseClone();
            copy.Token = Token?.Copy();
            copy.Token?.MakeReadOnly();
            return copy;
        }
    }
}
