using System;
using System.Collections.Generic;
using System.Linq;
using IdCardVerify.Verification;

namespace IdCardVerify.Commands
{
    /// <summary>Which column of a run's rows holds the image: the one -ImageUrlProperty names, or the one found in the first row.</summary>
    internal sealed class ColumnChoice
    {
        public ColumnChoice(string? named, string? pathNamed = null)
        {
            Named = string.IsNullOrWhiteSpace(named) ? null : named!.Trim();
            PathNamed = string.IsNullOrWhiteSpace(pathNamed) ? null : pathNamed!.Trim();
        }

        /// <summary>-ImageRoot, resolved: where a path column's relative paths resolve, and which no path may leave.</summary>
        public string? ImageRoot { get; set; }

        /// <summary>-ImagePathProperty: the column of the rows that holds a local file's path.</summary>
        public string? PathNamed { get; }

        /// <summary>-ImageUrlProperty.</summary>
        public string? Named { get; }

        /// <summary>The rows' only column of http(s) URLs, found in the first row that had one.</summary>
        public string? Found { get; set; }

        /// <summary>A verbose line to write once (the column found), then null.</summary>
        public string? SayOnce { get; set; }
    }

    /// <summary>What a row's columns say beside its URL: a garbled encoding, its columns of URLs, the person it expects.</summary>
    internal static class RowColumns
    {
        /// <summary>The keys a hashtable's expected ID number and name are read from: the parameters' names and aliases.</summary>
        public static readonly string[] IdNumberNames = PipelineInput.NamesOf(nameof(InvokeIdCardVerificationCommand.ExpectedIdNumber));

        public static readonly string[] NameNames = PipelineInput.NamesOf(nameof(InvokeIdCardVerificationCommand.ExpectedName));

        /// <summary>The row's columns an expected ID number and name come from, for the one verbose line that names them; null when neither.</summary>
        public static string? IdentityColumns(IEnumerable<KeyValuePair<string, object?>> columns)
        {
            var list = columns as IList<KeyValuePair<string, object?>> ?? columns.ToList();
            var number = list.FirstOrDefault(c => IdNumberNames.Contains(c.Key, StringComparer.OrdinalIgnoreCase)).Key;
            var name = list.FirstOrDefault(c => NameNames.Contains(c.Key, StringComparer.OrdinalIgnoreCase)).Key;
            if (number == null && name == null)
            {
                return null;
            }

            return Words.Format(
                Text.Notes_IdentityColumns,
                number != null ? Words.Format(Text.Notes_Column, number) : Words.Format(Text.Notes_NoColumn, string.Join(", ", IdNumberNames.Skip(1))),
                name != null ? Words.Format(Text.Notes_Column, name) : Words.Format(Text.Notes_NoColumn, string.Join(", ", NameNames.Skip(1))));
        }

        /// <summary>True when a column name or a text value holds U+FFFD: what reading GBK as UTF-8 leaves.</summary>
        public static bool IsGarbled(IEnumerable<KeyValuePair<string, object?>> columns) =>
            columns.Any(c => c.Key.IndexOf('\uFFFD') >= 0 || (c.Value is string text && text.IndexOf('\uFFFD') >= 0));

        /// <summary>The columns whose value is an absolute http(s) URL.</summary>
        public static List<string> UrlColumns(IEnumerable<KeyValuePair<string, object?>> columns) =>
            columns.Where(c => IsHttpUrl(c.Value as string ?? (c.Value as Uri)?.OriginalString)).Select(c => c.Key).ToList();

        /// <summary>A hashtable's expected person, read by key.</summary>
        public static ExpectedPerson ExpectedOf(IEnumerable<KeyValuePair<string, object?>> columns)
        {
            var list = columns as IList<KeyValuePair<string, object?>> ?? columns.ToList();
            return new ExpectedPerson(Find(list, IdNumberNames), Find(list, NameNames));
        }

        private static string? Find(IList<KeyValuePair<string, object?>> columns, string[] names)
        {
            foreach (var name in names)
            {
                var found = columns.FirstOrDefault(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase));
                if (found.Key != null)
                {
                    return Convert.ToString(found.Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return null;
        }

        private static bool IsHttpUrl(string? text)
        {
            var value = text?.Trim();
            return !string.IsNullOrEmpty(value)
                && (value!.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                && Uri.TryCreate(value, UriKind.Absolute, out _);
        }
    }
}
