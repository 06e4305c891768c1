using System;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Net;
using System.Management.Automation.Host;
using System.Security;
using IdCardVerify.Settings;

namespace IdCardVerify.Commands
{
    /// <summary>
    /// Reads the token from a SecretManagement vault through the Get-Secret command, so any vault works
    /// (Key Vault, KeePass, SecretStore, 1Password). SecretManagement is never a dependency: when it is
    /// not installed, a configured secret is one clear error naming the module. A vault that needs a
    /// prompt (a locked SecretStore) in a host that cannot prompt is a clear error, not a hang.
    /// </summary>
    internal static class VaultReader
    {
        private const string Module = "Microsoft.PowerShell.SecretManagement";

        /// <summary>Reads secret <paramref name="name"/> as text; throws <see cref="RunSetupException"/> saying what to do.</summary>
        public static string? Read(PSCmdlet cmdlet, string name, string? vault)
        {
            var where = vault == null ? Words.Format(Text.Vault_Secret, name) : Words.Format(Text.Vault_SecretInVault, name, vault);
            var found = GetSecret(cmdlet, name, vault, where, Text.Vault_TokenFrom, Text.Vault_TokenOrElse, Text.Vault_TokenAnother);
            foreach (var item in found)
            {
                switch (item?.BaseObject)
                {
                    case SecureString secure:
                        return TokenChain.ToPlain(secure);
                    case string text:
                        return text;
                    case PSCredential credential:
                        return TokenChain.ToPlain(credential.Password);
                    case NetworkCredential network:
                        return network.Password;
                }
            }

            throw new RunSetupException("SecretUnavailable", SetupFailure.Authentication, new InvalidOperationException(
                Words.Format(Text.Vault_NotAToken, char.ToUpperInvariant(where[0]) + where.Substring(1))));
        }

        /// <summary>Reads a secret holding a user name and password (a PSCredential; or text 'user:password'), for a staging store.</summary>
        public static (string User, string Password) ReadPair(PSCmdlet cmdlet, string name)
        {
            var found = GetSecret(cmdlet, name, null, Words.Format(Text.Vault_Secret, name), Text.Vault_StagingFrom, Text.Vault_StagingOrElse, Text.Vault_StagingAnother);
            foreach (var item in found)
            {
                switch (item?.BaseObject)
                {
                    case PSCredential credential:
                        return (credential.UserName, TokenChain.ToPlain(credential.Password) ?? string.Empty);
                    case string text when text.IndexOf(':') > 0:
                        return (text.Substring(0, text.IndexOf(':')), text.Substring(text.IndexOf(':') + 1));
                    case SecureString secure when TokenChain.ToPlain(secure) is string plain && plain.IndexOf(':') > 0:
                        return (plain.Substring(0, plain.IndexOf(':')), plain.Substring(plain.IndexOf(':') + 1));
                }
            }

            throw new RunSetupException("SecretUnavailable", SetupFailure.Authentication, new InvalidOperationException(
                Words.Format(Text.Vault_NotACredential, name)));
        }

        // Get-Secret through the command, so any vault works; each failure is one RunSetupException saying what to do.
        private static Collection<PSObject> GetSecret(PSCmdlet cmdlet, string name, string? vault, string where, string configuredTo, string orElse, string another)
        {
            if (cmdlet.InvokeCommand.GetCommand("Get-Secret", CommandTypes.Cmdlet | CommandTypes.Function) == null)
            {
                throw new RunSetupException("SecretManagementNotInstalled", SetupFailure.Authentication, new InvalidOperationException(
                    Words.Format(Text.Vault_NotInstalled, configuredTo, where, Module, orElse)));
            }

            try
            {
                var script = ScriptBlock.Create("param($Name, $Vault) if ($Vault) { Get-Secret -Name $Name -Vault $Vault -ErrorAction Stop } else { Get-Secret -Name $Name -ErrorAction Stop }");
                return cmdlet.InvokeCommand.InvokeScript(false, script, null, name, vault);
            }
            catch (Exception ex) when (IsPromptRefused(ex))
            {
                throw new RunSetupException("SecretVaultLocked", SetupFailure.Authentication, new InvalidOperationException(
                    Words.Format(Text.Vault_Locked, where), ex));
            }
            catch (Exception ex) when (ex is RuntimeException || ex is InvalidOperationException)
            {
                throw new RunSetupException("SecretUnavailable", SetupFailure.Authentication, new InvalidOperationException(
                    Words.Format(Text.Vault_Unreadable, where, ex.Message, another), ex));
            }
        }

        private static bool IsPromptRefused(Exception ex)
        {
            for (var e = ex; e != null; e = e.InnerException)
            {
                if (e is PSInvalidOperationException || e is HostException || e.Message.IndexOf("NonInteractive", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }

                if (e is RuntimeException runtime && runtime.ErrorRecord?.Exception != null && runtime.ErrorRecord.Exception != e
                    && runtime.ErrorRecord.Exception.Message.IndexOf("NonInteractive", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
