using System.Collections.Generic;
using System.Management.Automation;

namespace IdCardVerify.Commands
{
    /// <summary>A command's bound parameters as plain values for <see cref="Settings.OptionResolver"/>: a switch becomes its bool, a PSCredential a NetworkCredential.</summary>
    internal static class BoundParameters
    {
        public static Dictionary<string, object> Of(PSCmdlet cmdlet)
        {
            var plain = new Dictionary<string, object>();
            foreach (var parameter in cmdlet.MyInvocation.BoundParameters)
            {
                plain[parameter.Key] = parameter.Value is SwitchParameter on ? on.IsPresent
                    : parameter.Value is PSCredential credential ? credential.GetNetworkCredential()
                    : parameter.Value;
            }

            return plain;
        }
    }
}
