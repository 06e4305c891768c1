using System;
using System.Net;

namespace IdCardVerify.Client
{
    /// <summary>
    /// How requests reach the API: through the system's proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, the
    /// system setting), through an explicit proxy, or directly. A credential lives in memory only.
    /// </summary>
    internal sealed class ProxySettings
    {
        public static readonly ProxySettings System = new ProxySettings(null, null, false, false);

        public ProxySettings(Uri? address, NetworkCredential? credential, bool useDefaultCredentials, bool none)
        {
            Address = address;
            Credential = credential;
            // A proxy's password joins the process's secrets: scrubbed by value from everything the module writes.
            Secrets.Register(credential?.Password);
            UseDefaultCredentials = useDefaultCredentials;
            None = none;
        }

        /// <summary>The proxy to use; null for the system's.</summary>
        public Uri? Address { get; }

        public NetworkCredential? Credential { get; }

        /// <summary>Answer the proxy's challenge with the Windows logon (Negotiate, NTLM), as Invoke-RestMethod -ProxyUseDefaultCredentials.</summary>
        public bool UseDefaultCredentials { get; }

        /// <summary>Connect directly, whatever the system or the environment says (-NoProxy).</summary>
        public bool None { get; }

        public bool IsSystemDefault => Address == null && Credential == null && !UseDefaultCredentials && !None;

        /// <summary>What tells one pool of connections from another; holds a hash of the password, not the password.</summary>
        public string Key => string.Join(
            "|",
            None ? "none" : Address?.AbsoluteUri ?? "system",
            Credential?.UserName ?? string.Empty,
            Credential?.Domain ?? string.Empty,
            Credential == null ? string.Empty : Credential.Password.GetHashCode().ToString(global::System.Globalization.CultureInfo.InvariantCulture),
            UseDefaultCredentials ? "default" : string.Empty);

        /// <summary>Returns null when <paramref name="proxy"/> can be used; else why not and what to do.</summary>
        public static string? Problem(Uri proxy)
        {
            if (!proxy.IsAbsoluteUri || (proxy.Scheme != Uri.UriSchemeHttp && proxy.Scheme != Uri.UriSchemeHttps))
            {
                return Words.Format(Text.Proxy_NotHttp, Redaction.Url(proxy.OriginalString));
            }

            return string.IsNullOrEmpty(proxy.UserInfo) && !Redaction.HasUserInfo(proxy.OriginalString)
                ? null
                : Text.Proxy_Credentials;
        }
    }
}
