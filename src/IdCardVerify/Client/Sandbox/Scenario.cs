using System;
using System.Collections.Generic;
using System.Globalization;

namespace IdCardVerify.Client.Sandbox
{
    /// <summary>How the sandbox shapes an error body.</summary>
    [Flags]
    internal enum ErrorShape
    {
        Default = 0,
        BareString = 1,
        Null = 2,
        Missing = 4,
        NoSuccessField = 8,
    }

    /// <summary>
    /// What a sandbox image URL asks for, read in one pass from the keywords of its file name (without
    /// .jpg/.jpeg/.png, joined by '+'), e.g. <c>https://sandbox.test/nomatch.jpg</c> or
    /// <c>.../warn-photocopy+warn-tampered.jpg</c>. Where two keywords set the same thing, an HTTP error
    /// keyword (<c>error-</c>, <c>http-</c>) keeps the first, every other the last.
    /// </summary>
    internal sealed class Scenario
    {
        private static readonly Dictionary<string, IdCardWarning> WarningKeywords = new Dictionary<string, IdCardWarning>(StringComparer.Ordinal)
        {
            ["warn-border"] = IdCardWarning.BorderIncomplete,
            ["warn-photocopy"] = IdCardWarning.Photocopy,
            ["warn-reshoot"] = IdCardWarning.Reshoot,
            ["warn-tempid"] = IdCardWarning.TemporaryId,
            ["warn-covered"] = IdCardWarning.Covered,
            ["warn-tampered"] = IdCardWarning.Tampered,
            ["warn-blur"] = IdCardWarning.Blurred,
        };

        private static readonly string[] Extensions = { ".jpg", ".jpeg", ".png" };

        public ErrorShape Shape { get; private set; }

        /// <summary>The Retry-After header to send with an error (<c>retryafter-N</c>).</summary>
        public string? RetryAfter { get; private set; }

        /// <summary>Answer with this API error code and its status (<c>error-used_up</c>).</summary>
        public string? ErrorCode { get; private set; }

        /// <summary>Answer with this HTTP status and an HTML page (<c>http-502</c>).</summary>
        public int? HttpStatus { get; private set; }

        /// <summary>A low similarity (<c>nomatch</c>).</summary>
        public bool NoMatch { get; private set; }

        /// <summary>This similarity (<c>sim-42.5</c>); overrides or is overridden by <see cref="NoMatch"/>, the later keyword winning.</summary>
        public double? Similarity { get; private set; }

        /// <summary>This quality score, when the quality check is asked for (<c>quality-85</c>).</summary>
        public int? Quality { get; private set; }

        /// <summary>The warnings to raise, each only when its check was asked for.</summary>
        public IdCardWarning Warnings { get; private set; }

        /// <summary>Raise an unknown warning code whenever any check was asked for (<c>warn-unknown</c>).</summary>
        public bool UnknownWarning { get; private set; }

        /// <summary>Answer with this business failure (<c>fail-ImageBlur</c>, or a full code with a dot).</summary>
        public string? FailCode { get; private set; }

        /// <summary>The card's own data disagree (<c>idmismatch</c>).</summary>
        public bool IdMismatch { get; private set; }

        public bool NumbersAsStrings { get; private set; }

        public bool NoPortrait { get; private set; }

        public bool BadPortrait { get; private set; }

        public bool EncryptionObject { get; private set; }

        public bool EncryptionArray { get; private set; }

        public bool ExtraFields { get; private set; }

        /// <summary>Start the answer with a UTF-8 byte-order mark, as some gateways do (<c>bom</c>).</summary>
        public bool ByteOrderMark { get; private set; }

        public static Scenario Parse(string imageUrl)
        {
            var scenario = new Scenario();
            foreach (var word in KeywordsOf(imageUrl))
            {
                scenario.Read(word);
            }

            return scenario;
        }

        /// <summary>The keywords in the URL's file name: lower case, except the code of a <c>fail-</c> keyword.</summary>
        public static IEnumerable<string> KeywordsOf(string imageUrl)
        {
            if (!Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri))
            {
                yield break;
            }

            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            var name = path.Substring(path.LastIndexOf('/') + 1);
            foreach (var extension in Extensions)
            {
                if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
                {
                    name = name.Substring(0, name.Length - extension.Length);
                    break;
                }
            }

            foreach (var word in name.Split('+', ' '))
            {
                if (word.Length > 0)
                {
                    // Codes keep their case for the answer (fail-IdNameMisMatch); matching ignores it.
                    yield return word.StartsWith("fail-", StringComparison.OrdinalIgnoreCase) ? "fail-" + word.Substring(5) : word.ToLowerInvariant();
                }
            }
        }

        private void Read(string word)
        {
            if (WarningKeywords.TryGetValue(word, out var warning))
            {
                Warnings |= warning;
                return;
            }

            switch (word)
            {
                case "errorstring": Shape = (Shape & ErrorShape.NoSuccessField) | ErrorShape.BareString; return;
                case "errornull": Shape = (Shape & ErrorShape.NoSuccessField) | ErrorShape.Null; return;
                case "errormissing": Shape = (Shape & ErrorShape.NoSuccessField) | ErrorShape.Missing; return;
                case "nosuccessfield": Shape |= ErrorShape.NoSuccessField; return;
                case "nomatch": NoMatch = true; Similarity = null; return;
                case "warn-unknown": UnknownWarning = true; return;
                case "idmismatch": IdMismatch = true; return;
                case "numstrings": NumbersAsStrings = true; return;
                case "noportrait": NoPortrait = true; return;
                case "badportrait": BadPortrait = true; return;
                case "encobject": EncryptionObject = true; return;
                case "encarray": EncryptionArray = true; return;
                case "extrafields": ExtraFields = true; return;
                case "bom": ByteOrderMark = true; return;
            }

            var failed = ErrorCode != null || HttpStatus != null;
            if (TryValue(word, "retryafter-", out var retryAfter))
            {
                RetryAfter = retryAfter;
            }
            else if (TryValue(word, "error-", out var code))
            {
                ErrorCode = failed ? ErrorCode : code;
            }
            else if (TryValue(word, "http-", out var statusText)
                && int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status >= 400 && status <= 599)
            {
                HttpStatus = failed ? HttpStatus : status;
            }
            else if (TryValue(word, "sim-", out var simText) && double.TryParse(simText, NumberStyles.Float, CultureInfo.InvariantCulture, out var sim))
            {
                Similarity = sim;
                NoMatch = false;
            }
            else if (TryValue(word, "quality-", out var qualityText) && int.TryParse(qualityText, NumberStyles.None, CultureInfo.InvariantCulture, out var quality))
            {
                Quality = quality;
            }
            else if (TryValue(word, "fail-", out var failCode))
            {
                FailCode = failCode;
            }
        }

        private static bool TryValue(string word, string prefix, out string value)
        {
            value = word.StartsWith(prefix, StringComparison.Ordinal) ? word.Substring(prefix.Length) : string.Empty;
            return value.Length > 0 || word == prefix;
        }
    }
}
