using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using IdCardVerify.Contract;
using IdCardVerify.Files;

namespace IdCardVerify.Settings
{
    /// <summary>
    /// The CurrentUser scope: settings persisted per user. On Windows the token is protected with
    /// DPAPI (CurrentUser); elsewhere the file is readable by its owner alone (0600, in a 0700
    /// folder), and the module refuses to write, or to read a token from, a file it cannot keep so.
    /// </summary>
    internal static partial class UserStore
    {
        /// <summary>The most a settings file may hold (a few hundred bytes in practice).</summary>
        public const long MaxBytes = 1024 * 1024;

        private const int OwnerReadWrite = PrivateFiles.OwnerReadWrite;
        private const int OwnerAll = PrivateFiles.OwnerAll;

        // Every warning check at once: the largest value "warningChecks" may hold.
        private static readonly int AllChecks = WarningCheck.All.Aggregate(0, (all, check) => all | (int)check.Flag);

        /// <summary>Why there is no store, when there is none.</summary>
        public static string NoHome => Text.Store_NoHome;

        /// <summary>
        /// Where the file lives: %LOCALAPPDATA%\IdCardVerify on Windows, $XDG_CONFIG_HOME (or ~/.config)/IdCardVerify
        /// elsewhere; null where no home folder is set (a runbook, a service account, a container), never a
        /// path relative to wherever the command happens to run.
        /// </summary>
        public static string? FilePath
        {
            get
            {
                string root;
                if (PrivateFiles.IsWindows)
                {
                    root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
                }
                else
                {
                    root = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") ?? string.Empty;
                    if (root.Length == 0)
                    {
                        var home = Environment.GetEnvironmentVariable("HOME");
                        root = string.IsNullOrEmpty(home) ? string.Empty : Path.Combine(home, ".config");
                    }
                }

                return root.Length == 0 || !Path.IsPathRooted(root) ? null : Path.Combine(root, "IdCardVerify", "settings.json");
            }
        }

        /// <summary>Reads the stored settings; an absent file is empty settings. <paramref name="warning"/> says what was ignored.</summary>
        public static SettingsValues Load(out string? warning)
        {
            warning = null;
            var values = new SettingsValues();
            var path = FilePath;
            if (path == null || !File.Exists(path))
            {
                return values;
            }

            try
            {
                // Read once, bounded, on the checked handle: a link to /dev/zero or a FIFO is refused, never read forever.
                using var doc = JsonDocument.Parse(BoundedFile.Read(path, MaxBytes));
                var root = doc.RootElement;
                var invalid = new System.Collections.Generic.List<string>();
                values.Endpoint = Endpoint(root, invalid);
                values.Threshold = Bounded(root, "threshold", Bounds.MinThreshold, Bounds.MaxThreshold, false, "Threshold " + Defaults.Threshold.ToString(CultureInfo.InvariantCulture), invalid);
                values.ThrottleLimit = (int?)Bounded(root, "throttleLimit", Bounds.MinThrottleLimit, Bounds.MaxThrottleLimit, true, "ThrottleLimit " + Defaults.ThrottleLimit.ToString(CultureInfo.InvariantCulture), invalid);
                values.MaxRetries = (int?)Bounded(root, "maxRetries", Bounds.MinMaxRetries, Bounds.MaxMaxRetries, true, "MaxRetries " + Defaults.MaxRetries.ToString(CultureInfo.InvariantCulture), invalid);
                values.TimeoutSec = (int?)Bounded(root, "timeoutSec", Bounds.MinTimeoutSec, Bounds.MaxTimeoutSec, true, "TimeoutSec " + Defaults.TimeoutSec.ToString(CultureInfo.InvariantCulture), invalid);
                values.RequestsPerSecond = Bounded(root, "requestsPerSecond", Bounds.MinRequestsPerSecond, Bounds.MaxRequestsPerSecond, false, "RequestsPerSecond " + Defaults.RequestsPerSecond.ToString(CultureInfo.InvariantCulture), invalid);
                values.ConfigKeyStyle = Str(root, "configKeyStyle") is string k && Enum.TryParse<ConfigKeyStyle>(k, out var style) && Enum.IsDefined(typeof(ConfigKeyStyle), style) ? style : (ConfigKeyStyle?)null;
                if (values.ConfigKeyStyle == null && root.TryGetProperty("configKeyStyle", out _))
                {
                    invalid.Add(Invalid(root, "configKeyStyle", "Documented or Upstream", "ConfigKeyStyle " + Defaults.KeyStyle));
                }

                values.Sandbox = Flag(root, "sandbox", "Sandbox", invalid);
                values.IncludeFailed = Flag(root, "includeFailed", "IncludeFailed", invalid);
                var checks = Bounded(root, "warningChecks", 0, AllChecks, true, Text.Store_FixWarningSwitch, invalid);
                values.WarningChecks = checks is double c && ((int)c & ~AllChecks) == 0 ? (WarningChecks)(int)c : (WarningChecks?)null;
                if (checks is double d && ((int)d & ~AllChecks) != 0)
                {
                    invalid.Add(Invalid(root, "warningChecks", Text.Store_WarningCombination, Text.Store_FixWarningSwitch));
                }

                if (invalid.Count > 0)
                {
                    values.InvalidStored = Words.Format(Text.Store_Invalid, path, string.Join(" ", invalid));
                }

                values.SecretName = Str(root, "secretName");
                values.StagingUri = Str(root, "stagingUri") is string stagingUri && Uri.TryCreate(stagingUri, UriKind.Absolute, out var su) ? su : null;
                values.StagingEndpoint = Str(root, "stagingEndpoint") is string stagingEndpoint && Uri.TryCreate(stagingEndpoint, UriKind.Absolute, out var se) ? se : null;
                values.StagingRegion = Str(root, "stagingRegion");
                values.StagingSecretName = Str(root, "stagingSecretName");
                values.Vault = Str(root, "vault");

                string? token = null;
                if (PrivateFiles.IsWindows && Str(root, "tokenDpapi") is string protectedToken)
                {
                    token = Dpapi.Unprotect(protectedToken);
                }
                else if (!PrivateFiles.IsWindows && Str(root, "token") is string plain)
                {
                    var problem = PrivateFiles.PermissionProblem(path, OwnerReadWrite);
                    if (problem != null)
                    {
                        warning = Words.Format(Text.Store_TokenIgnored, path, problem);
                    }
                    else
                    {
                        token = plain;
                    }
                }

                if (token != null)
                {
                    values.Token = TokenChain.ToSecure(token);
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is IOException || ex is UnauthorizedAccessException || ex is CryptographicFailure)
            {
                warning = Words.Format(Text.Store_Unreadable, path, ex.Message);
                return new SettingsValues();
            }

            return values;
        }

        /// <summary>Writes the settings; throws <see cref="IOException"/> when the file cannot be kept private.</summary>
        public static void Save(SettingsValues values)
        {
            var path = FilePath ?? throw new StoreUnavailableException(NoHome);
            var folder = Path.GetDirectoryName(path)!;
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new StoreUnavailableException(Words.Format(Text.Store_Unwritable, path, ex.Message), ex);
            }

            if (!PrivateFiles.IsWindows)
            {
                PrivateFiles.SetMode(folder, OwnerAll);
                var folderProblem = PrivateFiles.PermissionProblem(folder, OwnerAll);
                if (folderProblem != null)
                {
                    throw new IOException(Words.Format(Text.Store_FolderRefused, folder, folderProblem));
                }
            }

            var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            try
            {
                // Created empty and locked down first; the token is written only once nobody else can read the file.
                using (File.Create(temporary))
                {
                }

                if (!PrivateFiles.IsWindows)
                {
                    PrivateFiles.SetMode(temporary, OwnerReadWrite);
                    var problem = PrivateFiles.PermissionProblem(temporary, OwnerReadWrite);
                    if (problem != null)
                    {
                        throw new IOException(Words.Format(Text.Store_TokenRefused, path, problem));
                    }
                }

                File.WriteAllBytes(temporary, Serialize(values));
                if (File.Exists(path))
                {
                    File.Delete(path);
                }

                File.Move(temporary, path);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        /// <summary>Removes what was stored. Returns whether there was anything.</summary>
        public static bool Delete()
        {
            var path = FilePath;
            if (!File.Exists(path))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }

        private static byte[] Serialize(SettingsValues values)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteNumber("version", 1);
                if (values.Endpoint != null) writer.WriteString("endpoint", values.Endpoint.ToString());
                if (values.Threshold.HasValue) writer.WriteNumber("threshold", values.Threshold.Value);
                if (values.ThrottleLimit.HasValue) writer.WriteNumber("throttleLimit", values.ThrottleLimit.Value);
                if (values.MaxRetries.HasValue) writer.WriteNumber("maxRetries", values.MaxRetries.Value);
                if (values.TimeoutSec.HasValue) writer.WriteNumber("timeoutSec", values.TimeoutSec.Value);
                if (values.RequestsPerSecond.HasValue) writer.WriteNumber("requestsPerSecond", values.RequestsPerSecond.Value);
                if (values.ConfigKeyStyle.HasValue) writer.WriteString("configKeyStyle", values.ConfigKeyStyle.Value.ToString());
                if (values.Sandbox.HasValue) writer.WriteBoolean("sandbox", values.Sandbox.Value);
                if (values.IncludeFailed.HasValue) writer.WriteBoolean("includeFailed", values.IncludeFailed.Value);
                if (!string.IsNullOrEmpty(values.SecretName)) writer.WriteString("secretName", values.SecretName);
                if (!string.IsNullOrEmpty(values.Vault)) writer.WriteString("vault", values.Vault);
                if (values.WarningChecks.HasValue) writer.WriteNumber("warningChecks", (int)values.WarningChecks.Value);
                if (values.StagingUri != null) writer.WriteString("stagingUri", values.StagingUri.OriginalString);
                if (values.StagingEndpoint != null) writer.WriteString("stagingEndpoint", values.StagingEndpoint.OriginalString);
                if (!string.IsNullOrEmpty(values.StagingRegion)) writer.WriteString("stagingRegion", values.StagingRegion);
                if (!string.IsNullOrEmpty(values.StagingSecretName)) writer.WriteString("stagingSecretName", values.StagingSecretName);
                var token = TokenChain.ToPlain(values.Token);
                if (token != null)
                {
                    if (PrivateFiles.IsWindows)
                    {
                        writer.WriteString("tokenDpapi", Dpapi.Protect(token));
                    }
                    else
                    {
                        writer.WriteString("token", token);
                    }
                }

                writer.WriteEndObject();
            }

            return buffer.ToArray();
        }

        private static string? Str(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    }

    /// <summary>There is no place to keep the store (no home folder, or a read-only one).</summary>
    internal sealed class StoreUnavailableException : IOException
    {
        public StoreUnavailableException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }

    /// <summary>A DPAPI failure (Windows), kept apart so a broken store is reported, not thrown.</summary>
    internal sealed class CryptographicFailure : Exception
    {
        public CryptographicFailure(string message)
            : base(message)
        {
        }
    }

}
