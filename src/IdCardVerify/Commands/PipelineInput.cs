using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using IdCardVerify.Verification;

namespace IdCardVerify.Commands
{
    /// <summary>
    /// Reads Invoke-IdCardVerification's inputs: an array by parameter, strings and Uris from the
    /// pipeline, or rows whose URL is in a column named like -ImageUrl or one of its aliases.
    /// </summary>
    internal static class PipelineInput
    {
        /// <summary>The column names a URL is read from: the -ImageUrl parameter's name and its [Alias] names.</summary>
        public static readonly string[] UrlPropertyNames = UrlNames();

        /// <summary>The inputs of one ProcessRecord call; <paramref name="expected"/> is what -ExpectedIdNumber and -ExpectedName hold now.</summary>
        public static IEnumerable<PipelineItem> Read(string?[]? imageUrl, PSObject? inputObject, ColumnChoice choice, ExpectedPerson expected, Func<string, string?>? toPath = null)
        {
            if (imageUrl != null && imageUrl.Length > 1)
            {
                // An array passed by parameter: each element is an input of its own.
                return imageUrl.Select(url =>
                {
                    var each = UrlItem(url, url);
                    each.Expected = expected;
                    return each;
                });
            }

            var single = imageUrl == null || imageUrl.Length == 0 ? null : imageUrl[0];
            object? input = inputObject == null ? single
                : inputObject.BaseObject is string || inputObject.BaseObject is Uri ? inputObject.BaseObject
                : inputObject;
            var columns = Columns(inputObject);
            var item = UrlOf(inputObject, single, input, choice, columns, toPath);
            // A hashtable is not bound by property name: its keys are read here. A file's Name is not a person's.
            item.Expected = inputObject?.BaseObject is System.Collections.IDictionary ? RowColumns.ExpectedOf(columns)
                : inputObject?.BaseObject is System.IO.FileSystemInfo ? ExpectedPerson.None : expected;
            return new[] { item };
        }

        /// <summary>The inputs of -Path (wildcards, expanded by the caller) or -LiteralPath: each a local file.</summary>
        public static IEnumerable<PipelineItem> ReadPaths(IEnumerable<string> paths, PSObject? inputObject, ExpectedPerson expected)
        {
            object? input = inputObject == null || inputObject.BaseObject is string ? null : inputObject;
            foreach (var path in paths)
            {
                yield return System.IO.Directory.Exists(path)
                    ? new PipelineItem(null, input ?? path) { Folder = path, Expected = expected }
                    : new PipelineItem(null, input ?? path, localPath: path) { Expected = expected };
            }
        }

        /// <summary>
        /// A value given as -ImageUrl, piped as a string, or read from a URL column: a URL, whatever it holds. A path or a
        /// file: URI there is refused as an input problem (Client.ImageUrls.LocalPathRefused, through <see cref="WorkItem.UrlProblem"/>), without looking at
        /// the disk: a sheet reaches this computer's files only through a path column, and files come from -Path,
        /// -LiteralPath or Get-ChildItem.
        /// </summary>
        public static PipelineItem UrlItem(string? value, object? input) => new PipelineItem(value, input);

        /// <summary>True for a result column name that must not be copied from the row (the URL is the result's own ImageUrl).</summary>
        public static bool IsUrlColumn(string name) => UrlPropertyNames.Contains(name, StringComparer.OrdinalIgnoreCase);

        private static PipelineItem UrlOf(PSObject? row, string? boundUrl, object? input, ColumnChoice choice, List<KeyValuePair<string, object?>> columns, Func<string, string?>? toPath)
        {
            if (row?.BaseObject is System.IO.FileSystemInfo file)
            {
                return file is System.IO.DirectoryInfo ? new PipelineItem(null, input) { Folder = file.FullName } : new PipelineItem(null, input, localPath: file.FullName);
            }

            if (row == null || row.BaseObject is string || row.BaseObject is Uri)
            {
                return UrlItem(boundUrl ?? (row?.BaseObject as Uri)?.OriginalString, input);
            }

            if (RowColumns.IsGarbled(columns))
            {
                return new PipelineItem(null, input) { Garbled = true };
            }

            if (choice.PathNamed != null && toPath != null)
            {
                // -ImagePathProperty: every row reads its file's path from that column.
                var pathNamed = columns.FirstOrDefault(c => string.Equals(c.Key, choice.PathNamed, StringComparison.OrdinalIgnoreCase));
                if (pathNamed.Key == null)
                {
                    return new PipelineItem(null, input, Describe(columns, row)) { MissingNamed = choice.PathNamed };
                }

                return PathColumns.Item(pathNamed.Value?.ToString(), input, toPath, choice.ImageRoot);
            }

            if (choice.Named != null || choice.Found != null)
            {
                // The column named with -ImageUrlProperty, or the one found in an earlier row: every row reads it.
                var name = choice.Named ?? choice.Found!;
                var named = columns.FirstOrDefault(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase));
                if (named.Key != null)
                {
                    return UrlItem(named.Value?.ToString(), input);
                }

                if (choice.Named != null)
                {
                    return new PipelineItem(null, input, Describe(columns, row)) { MissingNamed = choice.Named };
                }
            }

            if (row.BaseObject is System.Collections.IDictionary)
            {
                // A hashtable (@{ ImageUrl = ... }) is read by its keys, not by a hashtable's own properties; what
                // PowerShell bound to -ImageUrl from it is the hashtable turned into text, never a URL.
                var url = columns.FirstOrDefault(e => IsUrlColumn(e.Key));
                if (url.Key != null)
                {
                    return UrlItem(url.Value?.ToString(), input);
                }
            }
            else
            {
                foreach (var name in UrlPropertyNames)
                {
                    var property = row.Properties[name];
                    if (property != null)
                    {
                        // Bound by property name when piped; read here when the row came as -InputObject.
                        return UrlItem(boundUrl ?? property.Value?.ToString(), input);
                    }
                }
            }

            // No column named like -ImageUrl: a column named like a file's path (ImagePath, Path, 照片路径 …).
            var pathColumn = columns.FirstOrDefault(c => PathColumns.Names.Contains(c.Key, StringComparer.OrdinalIgnoreCase));
            if (pathColumn.Key != null && toPath != null && !string.IsNullOrWhiteSpace(pathColumn.Value?.ToString()))
            {
                return PathColumns.Item(pathColumn.Value!.ToString(), input, toPath, choice.ImageRoot);
            }

            // The row's one column of http(s) URLs, when there is exactly one.
            var urls = RowColumns.UrlColumns(columns);
            if (urls.Count == 1)
            {
                choice.Found = urls[0];
                choice.SayOnce = Words.Format(Text.Notes_UrlColumn, urls[0]);
                return new PipelineItem(columns.First(c => c.Key == urls[0]).Value?.ToString(), input);
            }

            if (urls.Count > 1)
            {
                return new PipelineItem(null, input, Describe(columns, row)) { Ambiguous = string.Join(", ", urls) };
            }

            return new PipelineItem(null, input, Describe(columns, row));
        }

        private static string Describe(List<KeyValuePair<string, object?>> columns, PSObject row)
        {
            var keys = row.BaseObject is System.Collections.IDictionary;
            var names = string.Join(", ", (keys || columns.Count > 0 ? columns.Select(c => c.Key) : row.Properties.Select(p => p.Name)).Take(12));
            return names.Length == 0 ? (keys ? "no keys" : "no properties") : (keys ? "the keys " : "the properties ") + names;
        }

        /// <summary>
        /// The row's own columns, in order: a hashtable's or dictionary's entries (keys as text), or an object's note
        /// properties (what Import-Csv and Select-Object make). A string or a Uri has none.
        /// </summary>
        public static List<KeyValuePair<string, object?>> Columns(PSObject? row)
        {
            var columns = new List<KeyValuePair<string, object?>>();
            // A file from Get-ChildItem has no row columns either: its provider notes (PSPath, PSDrive …) are not read
            // (reading them makes PowerShell keep them on the object, which Get-ChildItem holds until it ends).
            if (row == null || row.BaseObject is string || row.BaseObject is Uri || row.BaseObject is System.IO.FileSystemInfo)
            {
                return columns;
            }

            if (row.BaseObject is System.Collections.IDictionary dictionary)
            {
                foreach (System.Collections.DictionaryEntry entry in dictionary)
                {
                    var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture);
                    if (!string.IsNullOrEmpty(key))
                    {
                        columns.Add(new KeyValuePair<string, object?>(key!, entry.Value));
                    }
                }

                return columns;
            }

            foreach (var property in row.Properties)
            {
                if (property.MemberType == PSMemberTypes.NoteProperty)
                {
                    columns.Add(new KeyValuePair<string, object?>(property.Name, property.Value));
                }
            }

            return columns;
        }

        /// <summary>The likeliest fix for a row without a URL column: another delimiter, or a column to map.</summary>
        public static string Fix(PSObject? row)
        {
            var isDictionary = row?.BaseObject is System.Collections.IDictionary;
            var names = isDictionary ? Columns(row).Select(c => c.Key).ToArray() : row?.Properties.Select(p => p.Name).ToArray() ?? Array.Empty<string>();
            if (names.Length == 1 && names[0].IndexOfAny(new[] { ';', '\t', '|' }) >= 0)
            {
                // A TAB only means one inside double quotes: the fix must paste as it is written.
                var delimiter = names[0].IndexOf(';') >= 0 ? "';'" : names[0].IndexOf('|') >= 0 ? "'|'" : "\"`t\"";
                return Words.Format(Text.Input_Delimiter, delimiter == "\"`t\"" ? Text.Input_Tab : delimiter, delimiter);
            }

            var values = isDictionary ? Columns(row) : row?.Properties.Select(p => new KeyValuePair<string, object?>(p.Name, SafeValue(p))).ToList() ?? new List<KeyValuePair<string, object?>>();
            var likely = values.FirstOrDefault(p => p.Value is string text && text.TrimStart().StartsWith("http", StringComparison.OrdinalIgnoreCase)).Key
                ?? names.FirstOrDefault(n => n.IndexOf("url", StringComparison.OrdinalIgnoreCase) >= 0 || n.IndexOf("photo", StringComparison.OrdinalIgnoreCase) >= 0 || n.IndexOf("image", StringComparison.OrdinalIgnoreCase) >= 0);
            return isDictionary
                ? string.Format(CultureInfo.InvariantCulture, Text.Input_HashtableKey, likely ?? "YourKey")
                : string.Format(
                CultureInfo.InvariantCulture,
                Text.Input_RenameColumn,
                likely ?? "YourColumn");
        }

        // A property whose getter throws (an object's own property) reads as nothing.
        private static object? SafeValue(PSPropertyInfo property)
        {
            try
            {
                return property.Value;
            }
            catch (GetValueException)
            {
                return null;
            }
        }

        private static string[] UrlNames() => NamesOf(nameof(InvokeIdCardVerificationCommand.ImageUrl));

        /// <summary>A parameter of Invoke-IdCardVerification's name and its [Alias] names: the columns it binds from, written once.</summary>
        internal static string[] NamesOf(string property)
        {
            var parameter = typeof(InvokeIdCardVerificationCommand).GetProperty(property)!;
            var aliases = parameter.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? (IList<string>)Array.Empty<string>();
            return new[] { parameter.Name }.Concat(aliases).ToArray();
        }
    }
}
