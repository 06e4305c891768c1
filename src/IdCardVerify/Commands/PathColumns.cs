using System;

namespace IdCardVerify.Commands
{
    /// <summary>
    /// A row's path column (ImagePath, 照片文件, -ImagePathProperty's): the names it goes by, and its value made a local
    /// file, taken literally ('~' is not expanded from data), resolved under -ImageRoot and kept inside it.
    /// </summary>
    internal static class PathColumns
    {
        /// <summary>The column names a file's path is read from when no -ImagePathProperty is given.</summary>
        public static readonly string[] Names = { "ImagePath", "Path", "FilePath", "FullName", "照片路径", "图片路径", "文件路径", "照片文件", "图片文件" };

        /// <summary>A path column's value (-ImagePathProperty's, an ImagePath column's): a local file, a file: URI's, or what cannot be one, to be refused.</summary>
        public static PipelineItem Item(string? value, object? input, Func<string, string?> toPath, string? root)
        {
            var text = value?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return new PipelineItem(text, input);
            }

            // A path column's value is a path, taken literally: '~' is not expanded from data (a file named '~' is in the
            // current folder), and a provider-qualified path (Registry::…, Env:…) is not a file.
            if (text![0] == '~')
            {
                text = "." + System.IO.Path.DirectorySeparatorChar + text;
            }

            var full = text.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(text, UriKind.Absolute, out var fileUri) ? fileUri.LocalPath
                : root != null && !System.IO.Path.IsPathRooted(text) ? Under(root, text)
                : toPath(text);
            if (root != null && full != null && !IsUnder(full, root))
            {
                // -ImageRoot: a sheet's paths stay inside it, '..' and absolute paths elsewhere included.
                return new PipelineItem(null, input) { OutsideRoot = root };
            }
            return full == null ? new PipelineItem(text, input) : new PipelineItem(null, input, localPath: full);
        }

        private static string? Under(string root, string relative)
        {
            try
            {
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(root, relative));
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is System.IO.PathTooLongException)
            {
                return null;
            }
        }

        /// <summary>True when <paramref name="path"/> (full) is <paramref name="root"/> or inside it.</summary>
        internal static bool IsUnder(string path, string root)
        {
            var comparison = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            var full = System.IO.Path.GetFullPath(path);
            var folder = System.IO.Path.GetFullPath(root).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
            return full.StartsWith(folder, comparison);
        }
    }
}
