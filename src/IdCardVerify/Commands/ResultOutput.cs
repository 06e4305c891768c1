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

        /// <summary>
        /// The result with the row's columns (a CSV row's, a hashtable's keys) beside its own properties. On a masked
        /// result (-MaskPersonalData) the columns are masked too: by name (names, ID numbers, addresses, birth dates,
        /// phone numbers, e-mail addresses, in English or Chinese), by content (anything shaped like an ID number), and
        /// any URL in them is shown without its credentials.
        /// </summary>
        public static PSObject Shape(VerificationResult result, object? input, string? keyProperty = null)
        {
            var output = new PSObject(result);
            var columns = PipelineInput.Columns(input as PSObject);
            // Masked: the row's own people (its name columns, the card's name) by content too, wherever else they stand.
            var names = result.IsMasked
                ? columns.Where(c => PersonalData.KindOf(c.Key) == PersonalData.ColumnKind.Name && Plain(c.Value) is string).Select(c => (string?)Plain(c.Value)).Concat(new[] { result.NameAsRead }).ToList()
                : null;
            result.Key = KeyOf(columns, keyProperty, result.IsMasked);
            if (result.Key.Length == 0 && result.ImagePath != null)
            {
                // A file is known by its name, an ID number in it masked as in every message (ImagePath keeps it whole).
                result.Key = PersonalData.MaskIdNumbersIn(System.IO.Path.GetFileName(result.ImagePath));
            }

            if (names != null)
            {
                result.Key = PersonalData.MaskNamesIn(result.Key, names);
                result.ImagePath = result.ImagePath == null ? null : PersonalData.MaskNamesIn(result.ImagePath, names);
                result.ImageUrl = PersonalData.MaskNamesIn(result.ImageUrl, names);
            }

            // The table shows Key: data there never drives the terminal.
            result.Key = Shown.Escape(result.Key);

            foreach (var column in columns)
            {
                if (PipelineInput.IsUrlColumn(column.Key))
                {
                    continue;
                }

                // A column named like a result property (Name, say) is kept as InputName.
                var name = ResultPropertyNames.Contains(column.Key) ? "Input" + column.Key : column.Key;
                if (!ResultPropertyNames.Contains(name) && output.Properties[name] == null)
                {
                    // A value PowerShell wrapped (a string from Join-Path, say) is masked as the string it is; one with
                    // nothing to hide is copied as it came.
                    var plain = Plain(column.Value);
                    var value = Redaction.Column(column.Key, plain, result.IsMasked);
                    value = names != null && value is string text ? PersonalData.MaskNamesIn(text, names) : value;
                    output.Properties.Add(new PSNoteProperty(name, ReferenceEquals(value, plain) ? column.Value : value));
                }
            }

            return output;
        }

        /// <summary>The string inside a value PowerShell wrapped; any other value as it is.</summary>
        private static object? Plain(object? value) => value is PSObject wrapped && wrapped.BaseObject is string text ? text : value;

        /// <summary>
        /// Who the row is, for the default table: the -KeyProperty column, else the first column that is neither a URL nor
        /// personal data (an employee id, typically; a name column is left to the masked Name).
        /// </summary>
        private static string KeyOf(List<KeyValuePair<string, object?>> columns, string? keyProperty, bool masked)
        {
            var key = keyProperty != null
                ? columns.FirstOrDefault(c => string.Equals(c.Key, keyProperty, StringComparison.OrdinalIgnoreCase))
                : columns.FirstOrDefault(c => !PipelineInput.IsUrlColumn(c.Key) && PersonalData.KindOf(c.Key) == PersonalData.ColumnKind.Other
                    && !(c.Value is string text && (text.IndexOf("://", StringComparison.Ordinal) >= 0 || PersonalData.MaskIdNumbersIn(text) != text)));
            if (key.Key == null)
            {
                return string.Empty;
            }

            return Convert.ToString(Redaction.Column(key.Key, Plain(key.Value), masked), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }
    }
}
