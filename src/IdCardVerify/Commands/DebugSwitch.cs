using System.Management.Automation;
using System.Reflection;

namespace IdCardVerify.Commands
{
    /// <summary>
    /// Makes -Debug mean "show the debug messages" on the module's compiled cmdlets, as it does on
    /// advanced functions. PowerShell turns -Debug on a compiled cmdlet into Inquire for verbose messages
    /// (PowerShell 7) or for debug, warning and error messages too (Windows PowerShell 5.1): a prompt at
    /// every message, which aborts a run under pwsh -NonInteractive, with stdin redirected, or in a runbook.
    /// The command runtime's own settings are internal, so this sets them by reflection; where a property
    /// is missing it leaves that one as PowerShell has it.
    /// </summary>
    internal static class DebugSwitch
    {
        private const BindingFlags Internal = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

        public static void MakeSafe(PSCmdlet cmdlet)
        {
            var bound = cmdlet.MyInvocation.BoundParameters;
            if (!bound.TryGetValue("Debug", out var value) || !(value is SwitchParameter debug) || !debug.IsPresent)
            {
                return;
            }

            var runtime = cmdlet.CommandRuntime;
            Set(runtime, "DebugPreference", ActionPreference.Continue);
            if (!bound.ContainsKey("Verbose"))
            {
                // -Debug shows verbose messages too, as it always has; without prompting for each.
                Set(runtime, "Verbose", true);
            }

            if (!bound.ContainsKey("WarningAction"))
            {
                Set(runtime, "WarningPreference", Preference(cmdlet, "WarningPreference", ActionPreference.Continue));
            }

            if (!bound.ContainsKey("ErrorAction"))
            {
                Set(runtime, "ErrorAction", Preference(cmdlet, "ErrorActionPreference", ActionPreference.Continue));
            }
        }

        private static ActionPreference Preference(PSCmdlet cmdlet, string variable, ActionPreference fallback)
        {
            var preference = ReadPreference(cmdlet, variable);
            return preference == null || preference == ActionPreference.Inquire ? fallback : preference.Value;
        }

        /// <summary>The caller's preference variable (<c>$ErrorActionPreference</c>, ...), set as the enum or as its name; null when unset or unreadable.</summary>
        public static ActionPreference? ReadPreference(PSCmdlet cmdlet, string variable)
        {
            var value = cmdlet.SessionState.PSVariable.GetValue(variable);
            if (value is ActionPreference preference)
            {
                return preference;
            }

            return value != null && System.Enum.TryParse<ActionPreference>(value.ToString(), true, out var parsed) ? parsed : (ActionPreference?)null;
        }

        private static void Set(object runtime, string property, object value)
        {
            var setter = runtime.GetType().GetProperty(property, Internal);
            if (setter != null && setter.CanWrite)
            {
                setter.SetValue(runtime, value);
            }
        }
    }
}
