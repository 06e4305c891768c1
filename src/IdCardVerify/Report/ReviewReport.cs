using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using IdCardVerify.Files;

namespace IdCardVerify.Report
{
    /// <summary>
    /// A self-contained HTML review report, written as results stream in: a summary (counts by verdict and
    /// by warning, the thresholds, the time span, a similarity histogram as inline SVG), then one card per
    /// row that needs a person, worst first, then the matches, compactly. Each group is spooled to a
    /// temporary file while rows arrive, so memory stays flat however many rows there are; the page is
    /// assembled when the last row is in. It loads nothing: portraits are data URIs, the style is inline,
    /// and a Content-Security-Policy forbids every request.
    /// </summary>
    internal sealed class ReviewReport : IDisposable
    {
        /// <summary>The order a reviewer works in: what is most likely wrong first.</summary>
        private static readonly Verdict[] Worst = { Verdict.Error, Verdict.Review, Verdict.Warning, Verdict.NoMatch, Verdict.Failed, Verdict.Match };

        /// <summary>Every single warning flag, listed once rather than per row.</summary>
        private static readonly IdCardWarning[] WarningFlags =
            ((IdCardWarning[])Enum.GetValues(typeof(IdCardWarning))).Where(f => f != IdCardWarning.None).ToArray();

        private readonly ReportOptions _options;
        private readonly ReportCards _write;
        private readonly Dictionary<Verdict, Spool> _cards = new Dictionary<Verdict, Spool>();
        private readonly Spool _matches = new Spool();
        private readonly Dictionary<Verdict, long> _byVerdict = new Dictionary<Verdict, long>();
        private readonly Dictionary<IdCardWarning, long> _byWarning = new Dictionary<IdCardWarning, long>();
        private readonly SortedSet<double> _thresholds = new SortedSet<double>();
        private readonly long[] _histogram = new long[20];
        private long _rows;
        private long _cardsWritten;
        private long _cardsLeftOut;
        private long _matchesListed;
        private DateTimeOffset? _first;
        private DateTimeOffset _last;

        public ReviewReport(ReportOptions options)
        {
            _options = options;
            _write = new ReportCards(options);
            foreach (var verdict in Worst)
            {
                _cards[verdict] = new Spool();
            }
        }

        /// <summary>Adds one result, as of now (the age of a resumed result is told from it).</summary>
        public void Add(VerificationResult result, IReadOnlyList<KeyValuePair<string, object?>> columns) => Add(result, columns, Files.Clock.System.GetUtcNow());

        /// <summary>Adds one row: the result and the input row's own columns (name, value).</summary>
        public void Add(VerificationResult result, IReadOnlyList<KeyValuePair<string, object?>> columns, DateTimeOffset now)
        {
            using var language = new InCulture(_options.Culture);
            _rows++;
            _first ??= now;
            _last = now;
            _byVerdict[result.Verdict] = (_byVerdict.TryGetValue(result.Verdict, out var n) ? n : 0) + 1;
            foreach (var flag in WarningFlags)
            {
                if ((result.Warnings & flag) != 0)
                {
                    _byWarning[flag] = (_byWarning.TryGetValue(flag, out var w) ? w : 0) + 1;
                }
            }

            if (result.Verdict != Verdict.Error)
            {
                _thresholds.Add(result.Threshold);
            }

            if (result.Similarity is double similarity)
            {
                _histogram[Math.Min(19, Math.Max(0, (int)(similarity / 5)))]++;
            }

            var needsPerson = result.Verdict != Verdict.Match;
            if (!needsPerson && !_options.IncludeMatches)
            {
                if (_matchesListed < _options.MaxCards)
                {
                    _matchesListed++;
                    _matches.Write(_write.MatchRow(result, columns));
                }

                return;
            }

            if (_cardsWritten >= _options.MaxCards)
            {
                _cardsLeftOut++;
                return;
            }

            _cardsWritten++;
            _cards[result.Verdict].Write(_write.Card(result, columns, _rows));
        }

        /// <summary>Writes the page to <paramref name="path"/>, readable by its owner alone.</summary>
        public void WriteTo(string path)
        {
            using var language = new InCulture(_options.Culture);
            var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder))
            {
                PrivateFiles.CreateFolder(folder!);
            }

            // Created anew, never through a link planted at the name, and its owner's alone from the start.
            using var file = PrivateFiles.CreateNew(path);
            using var writer = new StreamWriter(file, new UTF8Encoding(false));
            writer.Write(ReportPage.Head());
            writer.Write(Summary());
            writer.Write("<h2>" + ReportCards.Encode(Text.Report_NeedPerson) + "</h2>\n");
            if (_cardsWritten == 0)
            {
                writer.Write("<p class=\"none\">" + ReportCards.Encode(Text.Report_NoneNeedPerson) + "</p>\n");
            }

            foreach (var verdict in Worst)
            {
                _cards[verdict].CopyTo(writer);
            }

            if (_cardsLeftOut > 0)
            {
                writer.Write(string.Format(CultureInfo.InvariantCulture, "<p class=\"left-out\" data-left-out=\"{0}\">", _cardsLeftOut)
                    + Words.Format(Text.Report_LeftOut, _cardsLeftOut, _options.MaxCards) + "</p>\n");
            }

            if (!_options.IncludeMatches)
            {
                var matches = Count(Verdict.Match);
                writer.Write("<h2>" + ReportCards.Encode(Words.Format(Text.Report_Matches, matches)) + "</h2>\n");
                if (matches > 0)
                {
                    writer.Write("<table class=\"matches\"><thead><tr><th>" + ReportCards.Encode(Text.Report_SimilarityHeader) + "</th><th>" + ReportCards.Encode(Text.Report_InputHeader) + "</th><th>" + ReportCards.Encode(Text.Report_ImageHeader) + "</th></tr></thead><tbody>\n");
                    _matches.CopyTo(writer);
                    writer.Write("</tbody></table>\n");
                    if (matches > _matchesListed)
                    {
                        writer.Write("<p class=\"left-out\">" + ReportCards.Encode(Words.Format(Text.Report_MatchesLeftOut, matches - _matchesListed)) + "</p>\n");
                    }
                }
            }

            writer.Write("</main>\n</body>\n</html>\n");
        }

        public void Dispose()
        {
            foreach (var spool in _cards.Values)
            {
                spool.Dispose();
            }

            _matches.Dispose();
        }

        /// <summary>A verdict as the page names it: its value, with its meaning where the language needs one (Match（一致）).</summary>
        internal static string VerdictName(Verdict verdict) => Text.ResourceManager.GetString("Verdict_" + verdict, Text.Culture) ?? verdict.ToString();

        private long Count(Verdict verdict) => _byVerdict.TryGetValue(verdict, out var n) ? n : 0;

        private string Summary()
        {
            var html = new StringBuilder();
            html.Append("<h1>" + ReportCards.Encode(Text.Report_H1) + "</h1>\n");
            html.Append("<p class=\"meta\">").Append(ReportCards.Encode(Words.Format(
                Text.Report_Meta,
                _rows,
                _first?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-",
                _first.HasValue ? _last.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "-",
                _thresholds.Count == 0 ? "-" : string.Join(", ", _thresholds.Select(t => t.ToString("0.##", CultureInfo.InvariantCulture))),
                _options.IncludePersonalData ? Text.Report_PersonalShown : Text.Report_PersonalMasked))).Append("</p>\n");
            html.Append("<div class=\"summary\">\n<table class=\"verdicts\"><thead><tr><th>" + ReportCards.Encode(Text.Report_VerdictHeader) + "</th><th>" + ReportCards.Encode(Text.Report_RowsHeader) + "</th></tr></thead><tbody>\n");
            foreach (var verdict in Worst)
            {
                html.Append(string.Format(CultureInfo.InvariantCulture, "<tr><td>{2}</td><td data-verdict=\"{0}\">{1}</td></tr>\n", verdict, Count(verdict), ReportCards.Encode(VerdictName(verdict))));
            }

            html.Append(string.Format(CultureInfo.InvariantCulture, "<tr><th>{1}</th><th data-total=\"{0}\">{0}</th></tr>\n</tbody></table>\n", _rows, ReportCards.Encode(Text.Report_Total)));
            html.Append("<table class=\"warnings\"><thead><tr><th>" + ReportCards.Encode(Text.Report_WarningHeader) + "</th><th>" + ReportCards.Encode(Text.Report_RowsHeader) + "</th></tr></thead><tbody>\n");
            if (_byWarning.Count == 0)
            {
                html.Append("<tr><td colspan=\"2\">" + ReportCards.Encode(Text.Report_None) + "</td></tr>\n");
            }

            foreach (var pair in _byWarning.OrderBy(p => p.Key))
            {
                html.Append(string.Format(CultureInfo.InvariantCulture, "<tr><td>{0}</td><td data-warning=\"{0}\">{1}</td></tr>\n", pair.Key, pair.Value));
            }

            html.Append("</tbody></table>\n").Append(Histogram()).Append("</div>\n");
            return html.ToString();
        }

        /// <summary>Similarity in 20 bins of 5, the threshold marked: inline SVG, nothing fetched.</summary>
        private string Histogram()
        {
            const int Width = 420, Height = 160, Bottom = 140, Left = 10;
            var max = Math.Max(1, _histogram.Max());
            var svg = new StringBuilder();
            svg.Append(string.Format(CultureInfo.InvariantCulture, "<svg class=\"histogram\" role=\"img\" aria-label=\"{2}\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" xmlns=\"http://www.w3.org/2000/svg\">\n", Width, Height, ReportCards.Encode(Text.Report_HistogramLabel)));
            for (var i = 0; i < _histogram.Length; i++)
            {
                var h = (int)Math.Round(120.0 * _histogram[i] / max);
                svg.Append(string.Format(CultureInfo.InvariantCulture, "<rect x=\"{0}\" y=\"{1}\" width=\"18\" height=\"{2}\" fill=\"#4a78b5\"><title>{3}-{4}: {5}</title></rect>\n", Left + i * 20, Bottom - h, h, i * 5, i * 5 + 5, _histogram[i]));
            }

            foreach (var threshold in _thresholds)
            {
                var x = Left + threshold / 100.0 * 400;
                svg.Append(string.Format(CultureInfo.InvariantCulture, "<line class=\"threshold\" x1=\"{0:0.#}\" x2=\"{0:0.#}\" y1=\"10\" y2=\"{1}\" stroke=\"#c0392b\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/><text x=\"{2:0.#}\" y=\"20\" font-size=\"11\" fill=\"#c0392b\">{3}</text>\n", x, Bottom, x + 4, ReportCards.Encode(Words.Format(Text.Report_Threshold, threshold.ToString("0.##", CultureInfo.InvariantCulture)))));
            }

            svg.Append(string.Format(CultureInfo.InvariantCulture, "<line x1=\"{0}\" x2=\"{1}\" y1=\"{2}\" y2=\"{2}\" stroke=\"#333\"/><text x=\"{0}\" y=\"155\" font-size=\"11\">0</text><text x=\"{3}\" y=\"155\" font-size=\"11\">100</text><text x=\"170\" y=\"155\" font-size=\"11\">{4}</text>\n</svg>\n", Left, Left + 400, Bottom, Left + 385, ReportCards.Encode(Text.Report_Similarity)));
            return svg.ToString();
        }

    }

    /// <summary>The thread's UI culture set to the page's for a while (null: left as it is), and put back.</summary>
    internal readonly struct InCulture : IDisposable
    {
        private readonly System.Globalization.CultureInfo? _before;

        public InCulture(System.Globalization.CultureInfo? culture)
        {
            _before = culture == null ? null : System.Globalization.CultureInfo.CurrentUICulture;
            if (culture != null)
            {
                System.Globalization.CultureInfo.CurrentUICulture = culture;
            }
        }

        public void Dispose()
        {
            if (_before != null)
            {
                System.Globalization.CultureInfo.CurrentUICulture = _before;
            }
        }
    }

    /// <summary>What Export-IdCardVerificationReport was asked for.</summary>
    internal sealed class ReportOptions
    {
        public bool IncludeMatches { get; set; }

        public bool IncludePersonalData { get; set; }

        public bool NoPortrait { get; set; }

        /// <summary>The page's language; the thread's UI culture when null.</summary>
        public System.Globalization.CultureInfo? Culture { get; set; }

        public int MaxCards { get; set; } = 5000;
    }
}
