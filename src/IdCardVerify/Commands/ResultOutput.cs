using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace IdCardVerify.Commands
{
    /// <summary>Shapes a result for the pipeline: the row's own columns copied onto it, so they survive to Export-Csv.</summary>
    internal static class ResultOutput
    {
        private static readonly HashSet<string> ResultPropertyNames = new HashSet<string>(
            typeof(VerificationResult).GetProperties().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

        public static PSObject Shape(VerificationResult result, object? input)
        {
            var output = new PSObject(result);
            if (input is PSObject row && !(row.BaseObject is string))
            {
                foreach (var property in row.Properties)
                {
                    if (property.MemberType != PSMemberTypes.NoteProperty || PipelineInput.IsUrlColumn(property.Name))
                    {
                        continue;
                    }

                    // A column named like a result property (Name, say) is kept as InputName.
                    var name = ResultPropertyNames.Contains(property.Name) ? "Input" + property.Name : property.Name;
                    if (!ResultPropertyNames.Contains(name) && output.Properties[name] == null)
                    {
                        output.Properties.Add(new PSNoteProperty(name, property.Value));
                    }
                }
            }

            return output;
        }
    }
}
