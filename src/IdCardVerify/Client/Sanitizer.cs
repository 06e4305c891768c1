using System;

namespace IdCardVerify.Client
{
    /// <summary>
    /// Cleans what a server wrote before the module keeps it. The request's token is replaced by
    /// <c>***</c> wherever a server echoes it, in every form a JSON body can carry it (plain, and any
    /// character as a <c>\uXXXX</c> escape, as System.Text.Json writes <c>+</c>, <c>/</c> and <c>=</c>),
    /// in answers and errors alike. In messages (an error's text, the API's message, the body kept on
    /// the exception) ID numbers are masked too, whoever wrote them; an answer keeps its ID number.
    /// </summary>
    internal sealed class Sanitizer
    {
        public Sanitizer(string? token)
        {
            // The token joins the process's secrets: scrubbed by value from everything, in every form (Secrets).
            Secrets.Register(token);
        }

        /// <summary>A text for a message: no token, no credential in a URL (a proxy's password, a signed query), ID numbers masked.</summary>
        public string? Message(string? text) => text == null ? null : PersonalData.MaskIdNumbersIn(Redaction.Text(WithoutToken(text)));

        /// <summary>The exception with every server-written text cleaned; the same instance when nothing needed it.</summary>
        public IdCardVerifyApiException Exception(IdCardVerifyApiException ex)
        {
            var message = Message(ex.BaseMessage)!;
            var apiMessage = Message(ex.ApiMessage);
            var body = Message(ex.ResponseBody);
            var code = Message(ex.ErrorCode);
            var traceId = Message(ex.TraceId);
            var inner = ex.InnerException == null ? null : Message(ex.InnerException.Message);
            if (message == ex.BaseMessage && apiMessage == ex.ApiMessage && body == ex.ResponseBody && code == ex.ErrorCode && traceId == ex.TraceId
                && inner == ex.InnerException?.Message && !HasInnerDetail(ex.InnerException))
            {
                return ex;
            }

            return new IdCardVerifyApiException(message, inner == null ? null : new CleanedException(inner))
            {
                StatusCode = ex.StatusCode,
                ErrorCode = code,
                ApiMessage = apiMessage,
                TraceId = traceId,
                Attempts = ex.Attempts,
                ErrorId = ex.ErrorId,
                Kind = ex.Kind,
                StopsRun = ex.StopsRun,
                Advice = ex.Advice,
                RetryAfter = ex.RetryAfter,
                ResponseBody = body,
            };
        }

        /// <summary>The answer with the token taken out of every field (a server that reflects it into, say, the description).</summary>
        public ApiAnswer Answer(ApiAnswer answer)
        {
            answer.Result = WithoutToken(answer.Result);
            // A description may quote the image's URL (a download error): its credentials go by shape too.
            answer.Description = Redaction.Text(WithoutToken(answer.Description));
            answer.Name = NotAFormula(WithoutToken(answer.Name));
            answer.Sex = NotAFormula(WithoutToken(answer.Sex));
            answer.Nation = NotAFormula(WithoutToken(answer.Nation));
            answer.Birth = NotAFormula(WithoutToken(answer.Birth));
            answer.Address = NotAFormula(WithoutToken(answer.Address));
            answer.IdNumber = NotAFormula(WithoutToken(answer.IdNumber));
            answer.WarningCodes = WithoutToken(answer.WarningCodes);
            answer.SimilarityText = answer.SimilarityText == null ? null : WithoutToken(answer.SimilarityText);
            answer.Encryption = answer.Encryption == null ? null : WithoutToken(answer.Encryption);
            return answer;
        }

        private static string WithoutToken(string text) => Secrets.Scrub(text);

        /// <summary>
        /// Text read off a card that a spreadsheet would run as a formula (it begins with <c>=</c>, <c>+</c>, <c>-</c>,
        /// <c>@</c>, a tab or a carriage return: <c>=HYPERLINK(…)</c>, <c>+cmd|…</c>) is kept with a leading <c>'</c>,
        /// OWASP's defence against CSV injection, so that Export-Csv and Excel show it as text. No real card's name,
        /// address or number begins so.
        /// </summary>
        internal static string NotAFormula(string text) =>
            text.Length > 0 && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' || text[0] == '\r') ? "'" + text : text;

        // An inner exception that itself wraps others (a socket error inside an HttpRequestException): their texts are
        // not checked one by one, so the chain is replaced by one cleaned text.
        private static bool HasInnerDetail(Exception? inner) => inner?.InnerException != null;

        /// <summary>An inner exception whose text was cleaned; the original (which may quote a server) is dropped.</summary>
        private sealed class CleanedException : Exception
        {
            public CleanedException(string message)
                : base(message)
            {
            }
        }
    }
}
