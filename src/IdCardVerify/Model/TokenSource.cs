namespace IdCardVerify
{
    /// <summary>Where the token in use came from (Get-IdCardVerifyConfig's TokenSource).</summary>
    public enum TokenSource
    {
        /// <summary>No token was found anywhere.</summary>
        None,

        /// <summary>The -Token parameter of the command.</summary>
        Parameter,

        /// <summary>Set-IdCardVerifyConfig -Token in this session.</summary>
        Session,

        /// <summary>The environment variable ACEDATACLOUD_API_TOKEN.</summary>
        Environment,

        /// <summary>The CurrentUser store (Set-IdCardVerifyConfig -Scope CurrentUser -Token).</summary>
        CurrentUser,

        /// <summary>A SecretManagement vault: the secret named with Set-IdCardVerifyConfig -SecretName, read with Get-Secret.</summary>
        Vault,
    }
}
