using System;
using System.Runtime.InteropServices;
using System.Security;

namespace IdCardVerify.Settings
{
    /// <summary>
    /// Finds the token, in order: -Token, the session's Set-IdCardVerifyConfig -Token,
    /// $env:ACEDATACLOUD_API_TOKEN, the CurrentUser store. The token only ever leaves here for the
    /// Authorization header.
    /// </summary>
    internal static class TokenChain
    {
        public static string NotFoundMessage =>
            Words.Format(Text.Token_NotFound, Defaults.TokenVariable);

        /// <summary>
        /// Returns the normalised token and its source, or (null, None). A configured secret is read with
        /// <paramref name="readSecret"/> (name, vault) only when no earlier source has a token; without a
        /// reader the source is reported as Vault and nothing is read.
        /// </summary>
        public static (string? Token, TokenSource Source) Resolve(SecureString? parameter, SettingsValues session, SettingsValues? stored = null, Func<string, string?, string?>? readSecret = null)
        {
            var fromParameter = Normalize(ToPlain(parameter));
            if (fromParameter != null)
            {
                return (fromParameter, TokenSource.Parameter);
            }

            var fromSession = Normalize(ToPlain(session.Token));
            if (fromSession != null)
            {
                return (fromSession, TokenSource.Session);
            }

            var fromEnvironment = Normalize(Environment.GetEnvironmentVariable(Defaults.TokenVariable));
            if (fromEnvironment != null)
            {
                return (fromEnvironment, TokenSource.Environment);
            }

            if (!string.IsNullOrEmpty(session.SecretName))
            {
                return readSecret == null ? (null, TokenSource.Vault) : (Normalize(readSecret(session.SecretName!, session.Vault)), TokenSource.Vault);
            }

            var fromStore = Normalize(ToPlain(stored?.Token));
            if (fromStore != null)
            {
                return (fromStore, TokenSource.CurrentUser);
            }

            return (null, TokenSource.None);
        }

        /// <summary>
        /// The token a run calls with, and its source. Throws <see cref="RunSetupException"/> when -Token
        /// is blank, when no source has one, or when the one found cannot go into a header.
        /// </summary>
        public static (string Token, TokenSource Source) Require(SecureString? parameter, SettingsValues session, SettingsValues stored, Func<string, string?, string?> readSecret)
        {
            if (parameter != null && IsBlank(parameter))
            {
                throw RunSetupException.InvalidArgument(
                    "EmptyToken",
                    Text.Token_Empty,
                    null);
            }

            var (token, source) = Resolve(parameter, session, stored, readSecret);
            if (token == null)
            {
                throw source == TokenSource.Vault
                    ? new RunSetupException("EmptySecret", SetupFailure.Authentication, new InvalidOperationException(Words.Format(Text.Token_EmptySecret, session.SecretName)))
                    : new RunSetupException("NoToken", SetupFailure.Authentication, new InvalidOperationException(NotFoundMessage));
            }

            var problem = FormatProblem(token);
            if (problem != null)
            {
                throw new RunSetupException("InvalidTokenFormat", SetupFailure.Authentication, new ArgumentException(problem + " (token source: " + source + ")"));
            }

            return (token, source);
        }

        /// <summary>The source that would win, without reading the token out.</summary>
        public static TokenSource SourceOf(SettingsValues session, SettingsValues? stored = null) => Resolve(null, session, stored, readSecret: null).Source;

        /// <summary>Trims whitespace and newlines and a pasted "Bearer " prefix; empty becomes null.</summary>
        public static string? Normalize(string? token)
        {
            if (token == null)
            {
                return null;
            }

            var trimmed = token.Trim();
            const string Prefix = "Bearer";
            if (trimmed.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
                && (trimmed.Length == Prefix.Length || char.IsWhiteSpace(trimmed[Prefix.Length])))
            {
                trimmed = trimmed.Substring(Prefix.Length).Trim();
            }

            return trimmed.Length == 0 ? null : trimmed;
        }

        /// <summary>True when a token was given but is empty, whitespace, or a bare "Bearer".</summary>
        public static bool IsBlank(SecureString token) => Normalize(ToPlain(token)) == null;

        /// <summary>Null when the token can go into a header as it is; else why not (never quoting it).</summary>
        public static string? FormatProblem(string token)
        {
            foreach (var c in token)
            {
                if (c < '!' || c > '~')
                {
                    return Text.Token_BadCharacters;
                }
            }

            return null;
        }

        public static string? ToPlain(SecureString? secure)
        {
            if (secure == null || secure.Length == 0)
            {
                return null;
            }

            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
                return Marshal.PtrToStringUni(pointer);
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }

        public static SecureString ToSecure(string plain)
        {
            var secure = new SecureString();
            foreach (var c in plain)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
