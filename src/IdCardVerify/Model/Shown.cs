namespace IdCardVerify
{
    /// <summary>
    /// What the module shows of data never drives the terminal: control characters from names, paths, URLs and OCR'd text
    /// (an escape sequence that retitles the window or clears the screen, a carriage return that overwrites a line, a line
    /// feed that forges a "WARNING:" line, a bidirectional override that reverses what is read) are shown escaped as
    /// <c>\u001B</c> in every message and view. The objects keep the values; only what is printed is escaped.
    /// </summary>
    internal static class Shown
    {
        /// <summary><paramref name="text"/> with every control character escaped; the same instance when there is none.</summary>
        public static string Escape(string? text) => PersonalData.Printable(text);

        /// <summary>A text for a message or a stream: secrets out by value, URLs without credentials, controls escaped.</summary>
        public static string Message(string? text) => Escape(Redaction.Text(Secrets.Scrub(text ?? string.Empty)));
    }
}
