using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using IdCardVerify.Client;

namespace IdCardVerify.Commands
{
    /// <summary>One input as the pipeline gave it: its URL, the object to carry to the result, or why it cannot be sent.</summary>
    internal sealed class PipelineItem
    {
        public PipelineItem(string? url, object? input, string? columns = null, string? localFile = null)
        {
            Url = url;
            Input = input;
            Columns = columns;
            LocalFile = localFile;
        }

        /// <summary>Set when the input is a file on this computer (Get-ChildItem piped in): its name.</summary>
        public string? LocalFile { get; }

        /// <summary>What all inputs refused for the same reason share: the columns of rows without a URL, or "files".</summary>
        public string? Shape => LocalFile != null ? "\0files" : Columns;

        public string? Url { get; }

        /// <summary>The string or Uri itself, or the whole row (a PSObject, columns and all).</summary>
        public object? Input { get; }

        /// <summary>Set when the row has no URL column at all: the columns it has.</summary>
        public string? Columns { get; }

        /// <summary>The error to write instead of sending input <paramref name="index"/>, or null when it can be sent.</summary>
        public ErrorRecord? Refusal(long index)
        {
            if (LocalFile != null)
            {
                return ErrorRecords.InvalidInput("LocalFile", string.Format(
                    CultureInfo.InvariantCulture,
                    "Input {0} is the file '{1}' on this computer: these are local files, and the API downloads each image itself from an http(s) URL. Upload the images where the API can reach them and pipe their URLs (a CSV with an ImageUrl column, say). Every other file piped in is skipped without another error.",
                    index,
                    LocalFile), Input);
            }

            if (Columns != null)
            {
                return ErrorRecords.InvalidInput("MissingImageUrl", string.Format(
                    CultureInfo.InvariantCulture,
                    "Input {0} has no image URL: it has {1}, but none named {2}. {3} Every other row with the same columns is skipped without another error.",
                    index,
                    Columns,
                    string.Join(", ", PipelineInput.UrlPropertyNames),
                    PipelineInput.Fix(Input as PSObject)), Input);
            }

            var problem = ImageUrls.Problem(Url);
            return problem == null ? null
                : ErrorRecords.InvalidInput("InvalidImageUrl", $"Input {index} ('{ImageUrls.ForDisplay(Url)}') was not sent: {problem}", Input);
        }
    }

    /// <summary>
    /// Reads Invoke-IdCardVerification's inputs: an array by parameter, strings and Uris from the
    /// pipeline, or rows whose URL is in a column named like -ImageUrl or one of its aliases.
    /// </summary>
    internal static class PipelineInput
    {
        /// <summary>The column names a URL is read from: the -ImageUrl parameter's name and its [Alias] names.</summary>
        public static readonly string[] UrlPropertyNames = UrlNames();

        /// <summary>The inputs of one ProcessRecord call.</summary>
        public static IEnumerable<PipelineItem> Read(string?[]? imageUrl, PSObject? inputObject)
        {
            if (imageUrl != null && imageUrl.Length > 1)
            {
                // An array passed by parameter: each element is an input of its own.
                return imageUrl.Select(url => new PipelineItem(url, url, null));
            }

            var single = imageUrl == null || imageUrl.Length == 0 ? null : imageUrl[0];
            object? input = inputObject == null ? single
                : inputObject.BaseObject is string || inputObject.BaseObject is Uri ? inputObject.BaseObject
                : inputObject;
            return new[] { UrlOf(inputObject, single, input) };
        }

        /// <summary>True for a result column name that must not be copied from the row (the URL is the result's own ImageUrl).</summary>
        public static bool IsUrlColumn(string name) => UrlPropertyNames.Contains(name, StringComparer.OrdinalIgnoreCase);

        private static PipelineItem UrlOf(PSObject? row, string? boundUrl, object? input)
        {
            if (row?.BaseObject is System.IO.FileSystemInfo file)
            {
                return new PipelineItem(null, input, localFile: file.Name);
            }

            if (row == null || row.BaseObject is string || row.BaseObject is Uri)
            {
                return new PipelineItem(boundUrl ?? (row?.BaseObject as Uri)?.OriginalString, input);
            }

            if (row.BaseObject is System.Collections.IDictionary dictionary)
            {
                // A hashtable (@{ ImageUrl = ... }) is read by its keys, not by a hashtable's own properties; what
                // PowerShell bound to -ImageUrl from it is the hashtable turned into text, never a URL.
                var entries = Columns(row);
                var url = entries.FirstOrDefault(e => IsUrlColumn(e.Key));
                if (url.Key != null)
                {
                    return new PipelineItem(url.Value?.ToString(), input);
                }

                var keys = string.Join(", ", entries.Select(e => e.Key).Take(12));
                return new PipelineItem(null, input, keys.Length == 0 ? "(no keys)" : "the keys " + keys);
            }

            foreach (var name in UrlPropertyNames)
            {
                var property = row.Properties[name];
                if (property != null)
                {
                    // Bound by property name when piped; read here when the row came as -InputObject.
                    return new PipelineItem(boundUrl ?? property.Value?.ToString(), input);
                }
            }

            var columns = string.Join(", ", row.Properties.Select(p => p.Name).Take(12));
            return new PipelineItem(null, input, columns.Length == 0 ? "no properties" : "the properties " + columns);
        }

        /// <summary>
        /// The row's own columns, in order: a hashtable's or dictionary's entries (keys as text), or an object's note
        /// properties (what Import-Csv and Select-Object make). A string or a Uri has none.
        /// </summary>
        public static List<KeyValuePair<string, object?>> Columns(PSObject? row)
        {
            var columns = new List<KeyValuePair<string, object?>>();
            if (row == null || row.BaseObject is string || row.BaseObject is Uri)
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
                var delimiter = names[0].IndexOf(';') >= 0 ? ";" : names[0].IndexOf('|') >= 0 ? "|" : "`t";
                return $"The file seems to use '{delimiter}' between its columns: read it with Import-Csv -Delimiter '{delimiter}'.";
            }

            var values = isDictionary ? Columns(row) : row?.Properties.Select(p => new KeyValuePair<string, object?>(p.Name, SafeValue(p))).ToList() ?? new List<KeyValuePair<string, object?>>();
            var likely = values.FirstOrDefault(p => p.Value is string text && text.TrimStart().StartsWith("http", StringComparison.OrdinalIgnoreCase)).Key
                ?? names.FirstOrDefault(n => n.IndexOf("url", StringComparison.OrdinalIgnoreCase) >= 0 || n.IndexOf("photo", StringComparison.OrdinalIgnoreCase) >= 0 || n.IndexOf("image", StringComparison.OrdinalIgnoreCase) >= 0);
            return isDictionary
                ? string.Format(CultureInfo.InvariantCulture, "Give each hashtable an ImageUrl key: @{{ ImageUrl = $_.{0} }}.", likely ?? "YourKey")
                : string.Format(
                CultureInfo.InvariantCulture,
                "Rename the column, or map it: Select-Object *, @{{n='ImageUrl';e={{$_.{0}}}}}.",
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

        private static string[] UrlNames()
        {
            var parameter = typeof(InvokeIdCardVerificationCommand).GetProperty(nameof(InvokeIdCardVerificationCommand.ImageUrl))!;
            var aliases = parameter.GetCustomAttribute<AliasAttribute>()?.AliasNames ?? (IList<string>)Array.Empty<string>();
            return new[] { parameter.Name }.Concat(aliases).ToArray();
        }
    }
}
