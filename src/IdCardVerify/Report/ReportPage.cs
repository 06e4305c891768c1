namespace IdCardVerify.Report
{
    /// <summary>The page's head: UTF-8, a Content-Security-Policy that forbids every request, and the inline style (print included: a card is never split).</summary>
    internal static class ReportPage
    {
        /// <summary>
        /// Fonts that render Chinese on every platform a reviewer opens the page on: Windows (Microsoft YaHei), macOS
        /// (PingFang SC, Hiragino Sans GB), Linux (Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Micro Hei), then the
        /// system's own; Latin text keeps the system UI font first.
        /// </summary>
        public const string Fonts = "system-ui,-apple-system,\"Segoe UI\",\"Microsoft YaHei\",\"PingFang SC\",\"Hiragino Sans GB\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\",sans-serif";

        /// <summary>The head in the thread's UI culture: its language and title.</summary>
        public static string Head() => HeadTemplate.Replace("%LANG%", Text.Report_Lang).Replace("%TITLE%", ReportCards.Encode(Text.Report_Title));

        private static readonly string HeadTemplate =
            "<!DOCTYPE html>\n<html lang=\"%LANG%\">\n<head>\n<meta charset=\"utf-8\">\n" +
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n" +
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>%TITLE%</title>\n<style>\n" +
            "body{font-family:" + Fonts + ";margin:0;color:#1d1d1f;background:#f5f5f7}main{max-width:1100px;margin:0 auto;padding:24px}\n" +
            "h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.2em;margin:28px 0 10px}.meta{color:#555}\n" +
            "table{border-collapse:collapse;background:#fff}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}\n" +
            ".summary{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}\n" +
            ".card{display:flex;gap:16px;background:#fff;border:1px solid #ccc;border-left:8px solid #999;border-radius:6px;padding:12px 16px;margin:0 0 12px;break-inside:avoid;page-break-inside:avoid}\n" +
            ".card img{width:96px;height:120px;object-fit:cover;border:1px solid #ccc;background:#eee}.card h3{margin:0 0 6px;font-size:1.05em}\n" +
            ".card dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:0}.card dt{color:#555}.card dd{margin:0}\n" +
            ".v-Error{border-left-color:#6e1a1a}.v-Review{border-left-color:#c0392b}.v-Warning{border-left-color:#e67e22}.v-NoMatch{border-left-color:#8e44ad}.v-Failed{border-left-color:#7f8c8d}.v-Match{border-left-color:#27ae60}\n" +
            ".badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;background:#555;font-size:.85em}.why{color:#a33}\n" +
            "@media print{body{background:#fff}main{padding:0}.card{border-color:#999}h2{break-after:avoid}}\n" +
            "</style>\n</head>\n<body>\n<main>\n";
    }
}
