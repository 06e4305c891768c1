using System;
using System.Collections.Generic;
using IdCardVerify.Contract;

namespace IdCardVerify.Settings
{
    /// <summary>
    /// The one rule for every option: the command's parameter, then the session's
    /// Set-IdCardVerifyConfig, then the CurrentUser store, then the built-in default (<see cref="Defaults"/>).
    /// <see cref="Configured"/> already holds the session's values over the store's.
    /// </summary>
    internal sealed class OptionResolver
    {
        private static readonly IDictionary<string, object> NoParameters = new Dictionary<string, object>();
        private readonly IDictionary<string, object> _bound;

        /// <param name="configured">The session's settings over the stored ones (or the stored ones alone).</param>
        /// <param name="bound">The parameters given to the command, switches as bool (<c>Commands.BoundParameters</c>); none when describing the configuration.</param>
        public OptionResolver(SettingsValues configured, IDictionary<string, object>? bound = null)
        {
            Configured = configured;
            _bound = bound ?? NoParameters;
        }

        public SettingsValues Configured { get; }

        /// <summary>The value of one option.</summary>
        public T Pick<T>(string parameter, Func<SettingsValues, T?> configured, T builtIn)
            where T : struct
        {
            if (_bound.TryGetValue(parameter, out var value))
            {
                return (T)value;
            }

            return configured(Configured) ?? builtIn;
        }

        public Uri Endpoint(string parameter) =>
            (_bound.TryGetValue(parameter, out var value) ? value as Uri : null) ?? Configured.Endpoint ?? Client.IdCardVerifyClient.DefaultEndpoint;

        /// <summary>The warning checks to ask for: the configured ones, changed by the switches given.</summary>
        public WarningChecks Checks
        {
            get
            {
                var configured = Configured.WarningChecks ?? WarningChecks.None;
                return ApplySwitches(_bound, configured) ?? configured;
            }
        }

        /// <summary>
        /// Applies the warning switches given (<see cref="WarningCheck.All"/>) to <paramref name="start"/>:
        /// -X adds the check, -X:$false removes it. Null when none was given, so a default from elsewhere still applies.
        /// </summary>
        public static WarningChecks? ApplySwitches(IDictionary<string, object> bound, WarningChecks start)
        {
            WarningChecks? result = null;
            var checks = start;
            foreach (var check in WarningCheck.All)
            {
                if (bound.TryGetValue(check.SwitchName, out var value))
                {
                    checks = value is bool on && on ? checks | check.Flag : checks & ~check.Flag;
                    result = checks;
                }
            }

            return result;
        }

        /// <summary>
        /// Set-IdCardVerifyConfig's switches onto <paramref name="values"/>: a change starts from the checks already in
        /// <paramref name="values"/>, else from <paramref name="inherited"/>'s (the stored ones, so -CopyWarn:$false drops
        /// only that check). Untouched switches leave the checks unset, so a stored default still shows through the session.
        /// </summary>
        public static void ApplySwitches(IDictionary<string, object> bound, SettingsValues values, SettingsValues? inherited)
        {
            var checks = ApplySwitches(bound, values.WarningChecks ?? inherited?.WarningChecks ?? WarningChecks.None);
            if (checks.HasValue)
            {
                values.WarningChecks = checks;
            }
        }
    }
}
