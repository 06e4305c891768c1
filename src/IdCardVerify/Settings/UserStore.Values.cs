using System;
using System.Globalization;
using System.Text.Json;
using IdCardVerify.Client;

namespace IdCardVerify.Settings
{
    /// <summary>Reading the stored values: each checked against the bounds the parameter of the same name enforces.</summary>
    internal static partial class UserStore
    {
        // A number within the bounds the parameter of the same name enforces; anything else is reported in invalid, with
        // fix: the parameter and a value it takes.
        private static double? Bounded(JsonElement root, string name, double min, double max, bool whole, string fix, System.Collections.Generic.List<string> invalid)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && !double.IsNaN(number) && !double.IsInfinity(number)
                && number >= min && number <= max && (!whole || Math.Floor(number) == number))
            {
                return number;
            }

            var range = string.Format(CultureInfo.InvariantCulture, Text.Store_Range, whole ? Text.Store_WholeNumber : Text.Store_Number, min, max);
            invalid.Add(Invalid(root, name, range, fix));
            return null;
        }

        private static bool? Flag(JsonElement root, string name, string parameter, System.Collections.Generic.List<string> invalid)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.True || value.ValueKind == JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            invalid.Add(Invalid(root, name, Text.Store_TrueOrFalse, parameter + ":$true"));
            return null;
        }

        private static Uri? Endpoint(JsonElement root, System.Collections.Generic.List<string> invalid)
        {
            if (!root.TryGetProperty("endpoint", out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                return uri;
            }

            invalid.Add(Invalid(root, "endpoint", Text.Store_AbsoluteUrl, "Endpoint " + Configuration.DefaultEndpoint.AbsoluteUri));
            return null;
        }

        // The key, its value as written (no more than 40 characters of it), what it must be, and the command that fixes it.
        private static string Invalid(JsonElement root, string name, string expected, string fix)
        {
            var raw = root.GetProperty(name).GetRawText();
            var shown = Redaction.Text(raw.Length > 40 ? raw.Substring(0, 40) + "…" : raw);
            return Words.Format(Text.Store_InvalidValue, name, shown, expected, fix);
        }
    }
}
