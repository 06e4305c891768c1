using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using IdCardVerify.Client;

namespace IdCardVerify.Sandbox
{
    /// <summary>
    /// The API, simulated: deterministic, fictional identities, and every outcome of the contract
    /// forced from the image URL. The file name of the URL (without .jpg/.jpeg/.png) holds keywords
    /// joined by '+', e.g. <c>https://sandbox.test/nomatch.jpg</c> or <c>.../warn-photocopy+warn-tampered.jpg</c>.
    /// The same code answers in-process for -Sandbox and over loopback HTTP in the test emulator.
    /// </summary>
    internal static class SandboxSimulator
    {
        /// <summary>A 1x1 JPEG: a real, decodable image that is obviously not anyone's portrait.</summary>
        public const string PortraitBase64 =
            "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=";

        /// <summary>Error codes of the contract and the HTTP status each comes with.</summary>
        public static readonly IReadOnlyDictionary<string, int> ErrorStatus = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["bad_request"] = 400,
            ["no_token"] = 400,
            ["token_mismatched"] = 400,
            ["api_not_implemented"] = 400,
            ["invalid_token"] = 401,
            ["token_expired"] = 401,
            ["used_up"] = 403,
            ["disabled"] = 403,
            ["forbidden"] = 403,
            ["no_api"] = 404,
            ["too_many_requests"] = 429,
            ["rate_limited"] = 429,
            ["api_error"] = 500,
            ["timeout"] = 504,
        };

        private static readonly Dictionary<string, string> ErrorMessages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["bad_request"] = "Bad request.",
            ["no_token"] = "Token is required.",
            ["token_mismatched"] = "The token does not match this service.",
            ["api_not_implemented"] = "The API is not implemented.",
            ["invalid_token"] = "The specified token is invalid or wrong.",
            ["token_expired"] = "The token has expired.",
            ["used_up"] = "Your balance is used up.",
            ["disabled"] = "The credential is disabled.",
            ["forbidden"] = "Forbidden by moderation.",
            ["no_api"] = "No API registered for this path.",
            ["too_many_requests"] = "Too many requests.",
            ["rate_limited"] = "Rate limited.",
            ["api_error"] = "Internal server error.",
            ["timeout"] = "Upstream timeout.",
        };

        /// <summary>The business results of the contract (after <c>FailedOperation.</c>) and their descriptions.</summary>
        public static readonly IReadOnlyDictionary<string, string> FailedOperations = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["OcrWarningOccurred"] = "出现OCR告警",
            ["CompareFail"] = "比对失败",
            ["CompareLowSimilarity"] = "比对相似度未达到通过标准",
            ["CompareSystemError"] = "调用比对引擎接口出错",
            ["DownLoadError"] = "文件下载失败",
            ["EmptyImageError"] = "图片内容为空",
            ["EncryptSystemError"] = "加密系统错误",
            ["FileSaveError"] = "文件存储失败",
            ["IdFormatError"] = "身份证号码格式错误",
            ["IdNameMisMatch"] = "身份证号和姓名不匹配",
            ["IdNoExistSystem"] = "库中无此号",
            ["IdPhotoNoExist"] = "库中无此号照片",
            ["IdPhotoPoorQuality"] = "证件图片质量差",
            ["IdPhotoSystemNoanswer"] = "客户库自建库或认证中心返照失败",
            ["ImageBlur"] = "图片模糊",
            ["ImageDecodeFailed"] = "图片解码失败",
            ["ImageNoIdCard"] = "图片中未检测到身份证",
            ["ImageSizeTooLarge"] = "图片尺寸过大",
            ["LifePhotoDetectFaces"] = "检测到多张人脸",
            ["LifePhotoDetectFake"] = "实人比对没通过",
            ["LifePhotoDetectNoFaces"] = "未能检测到完整人脸",
            ["LifePhotoPoorQuality"] = "传入图片分辨率太低",
            ["LifePhotoSizeError"] = "传入图片过大或过小",
            ["OcrFailed"] = "Ocr识别失败",
            ["RequestLimitExceeded"] = "请求频率超过限制",
            ["StsUnAuthErrError"] = "STS未授权",
            ["UnKnown"] = "内部未知错误",
        };

        private static readonly (string Keyword, WarningChecks Check, string Code)[] WarningKeywords =
        {
            ("warn-border", WarningChecks.BorderCheck, "-9101"),
            ("warn-photocopy", WarningChecks.Copy, "-9102"),
            ("warn-reshoot", WarningChecks.Reshoot, "-9103"),
            ("warn-tempid", WarningChecks.TempId, "-9104"),
            ("warn-covered", WarningChecks.BorderCheck, "-9105"),
            ("warn-tampered", WarningChecks.DetectPs, "-9106"),
            ("warn-blur", WarningChecks.Quality, "-8001"),
        };

        private static readonly string[] Surnames = { "张", "李", "王", "赵", "陈", "刘" };
        private static readonly string[] GivenNames = { "测试", "示例", "沙盒", "演示", "样本", "模拟" };

        /// <summary>
        /// Answers one request. <paramref name="tokens"/> null means no token is needed (-Sandbox);
        /// otherwise the request must carry a Bearer token that <paramref name="tokens"/> accepts.
        /// </summary>
        public static SimulatedResponse Respond(string method, string requestBody, string? authorization, SandboxTokens? tokens)
        {
            if (!string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase))
            {
                return Error("no_api", 404, ErrorShape.Default, Hash("method:" + method));
            }

            if (tokens != null)
            {
                var tokenError = tokens.Check(authorization);
                if (tokenError != null)
                {
                    return Error(tokenError, ErrorStatus[tokenError], ErrorShape.Default, Hash(tokenError));
                }
            }

            string? imageUrl;
            string? config;
            try
            {
                using var doc = JsonDocument.Parse(requestBody);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object
                    || !root.TryGetProperty("image_url", out var urlElement)
                    || urlElement.ValueKind != JsonValueKind.String)
                {
                    return Error("bad_request", 400, ErrorShape.Default, 1, "image_url is required and must be a string.");
                }

                imageUrl = urlElement.GetString();
                config = null;
                if (root.TryGetProperty("config", out var configElement) && configElement.ValueKind != JsonValueKind.Null)
                {
                    if (configElement.ValueKind != JsonValueKind.String)
                    {
                        return Error("bad_request", 400, ErrorShape.Default, 2, "config must be a JSON object serialised as a string.");
                    }

                    config = configElement.GetString();
                }
            }
            catch (JsonException)
            {
                return Error("bad_request", 400, ErrorShape.Default, 3, "The request body is not JSON.");
            }

            return Answer(imageUrl ?? string.Empty, RequestConfig.Parse(config));
        }

        private static SimulatedResponse Answer(string imageUrl, WarningChecks checks)
        {
            var words = KeywordsOf(imageUrl);
            var hash = Hash(imageUrl);
            var shape = ErrorShape.Default;
            if (words.Contains("errorstring")) shape = ErrorShape.BareString;
            if (words.Contains("errornull")) shape = ErrorShape.Null;
            if (words.Contains("errormissing")) shape = ErrorShape.Missing;
            if (words.Contains("nosuccessfield")) shape |= ErrorShape.NoSuccessField;

            string? retryAfter = null;
            foreach (var word in words)
            {
                if (word.StartsWith("retryafter-", StringComparison.Ordinal))
                {
                    retryAfter = word.Substring("retryafter-".Length);
                }
            }

            foreach (var word in words)
            {
                if (word.StartsWith("error-", StringComparison.Ordinal))
                {
                    var code = word.Substring("error-".Length);
                    var status = ErrorStatus.TryGetValue(code, out var known) ? known : 400;
                    var response = Error(code, status, shape, hash);
                    response.RetryAfter = retryAfter;
                    return response;
                }

                if (word.StartsWith("http-", StringComparison.Ordinal)
                    && int.TryParse(word.Substring("http-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var httpStatus)
                    && httpStatus >= 400 && httpStatus <= 599)
                {
                    return new SimulatedResponse(httpStatus, $"<html><head><title>{httpStatus}</title></head><body><h1>{httpStatus}</h1><p>nginx</p></body></html>", "text/html")
                    {
                        RetryAfter = retryAfter,
                    };
                }
            }

            var identity = Identity.From(hash);
            var answer = new Outcome { Identity = identity, Similarity = 80 + (hash % 2000) / 100.0, Result = "Success" };
            var quality = (checks & WarningChecks.Quality) != 0 ? 60 + (int)(hash % 40) : 0;

            foreach (var word in words)
            {
                if (word == "nomatch")
                {
                    answer.Similarity = 20 + (hash % 4500) / 100.0;
                }
                else if (word.StartsWith("sim-", StringComparison.Ordinal)
                    && double.TryParse(word.Substring(4), NumberStyles.Float, CultureInfo.InvariantCulture, out var sim))
                {
                    answer.Similarity = sim;
                }
                else if (word.StartsWith("quality-", StringComparison.Ordinal)
                    && int.TryParse(word.Substring(8), NumberStyles.None, CultureInfo.InvariantCulture, out var q))
                {
                    quality = (checks & WarningChecks.Quality) != 0 ? q : 0;
                }
            }

            // Warnings stop the comparison only when the request asked for that check, as the API does.
            var fired = new List<string>();
            foreach (var warning in WarningKeywords)
            {
                if (words.Contains(warning.Keyword) && (checks & warning.Check) != 0)
                {
                    fired.Add(warning.Code);
                }
            }

            if ((checks & WarningChecks.Quality) != 0 && quality < 50 && !fired.Contains("-8001"))
            {
                fired.Add("-8001");
            }

            if (words.Contains("warn-blur") && (checks & WarningChecks.Quality) != 0 && quality >= 50)
            {
                quality = 30;
            }

            if (words.Contains("warn-unknown") && checks != WarningChecks.None)
            {
                fired.Add("-9999");
            }

            if (fired.Count > 0)
            {
                answer.Result = "FailedOperation.OcrWarningOccurred";
                answer.Similarity = 0;
                answer.Warnings = string.Join("|", fired);
            }

            foreach (var word in words)
            {
                if (word.StartsWith("fail-", StringComparison.Ordinal))
                {
                    var code = word.Substring("fail-".Length);
                    answer.Result = code.IndexOf('.') >= 0 ? code : "FailedOperation." + Canonical(code);
                    answer.Similarity = code.Equals("CompareLowSimilarity", StringComparison.OrdinalIgnoreCase) ? 30 + (hash % 3000) / 100.0 : 0;
                    if (!code.Equals("IdNameMisMatch", StringComparison.OrdinalIgnoreCase)
                        && !code.Equals("CompareLowSimilarity", StringComparison.OrdinalIgnoreCase))
                    {
                        answer.Identity = Identity.Empty;
                    }
                }
            }

            if (words.Contains("idmismatch") && answer.Identity.IdNumber.Length > 0)
            {
                answer.Identity = answer.Identity.Disagreeing();
            }

            return new SimulatedResponse(200, SuccessBody(answer, quality, words));
        }

        private static string Canonical(string code)
        {
            foreach (var known in FailedOperations.Keys)
            {
                if (known.Equals(code, StringComparison.OrdinalIgnoreCase))
                {
                    return known;
                }
            }

            return code;
        }

        private static string SuccessBody(Outcome answer, int quality, HashSet<string> words)
        {
            var numbersAsStrings = words.Contains("numstrings");
            var description = answer.Result == "Success"
                ? "成功"
                : FailedOperations.TryGetValue(answer.Result.Substring(answer.Result.IndexOf('.') + 1), out var text) ? text : answer.Result;
            return Write(writer =>
            {
                writer.WriteStartObject();
                var sim = Math.Round(answer.Similarity, 2);
                if (double.IsNaN(sim) || double.IsInfinity(sim))
                {
                    // JSON has no NaN; a broken upstream would send it as text.
                    writer.WriteString("sim", sim.ToString(CultureInfo.InvariantCulture));
                }
                else if (numbersAsStrings)
                {
                    writer.WriteString("sim", sim.ToString("0.00", CultureInfo.InvariantCulture));
                }
                else
                {
                    writer.WriteNumber("sim", sim);
                }

                writer.WriteString("result", answer.Result);
                writer.WriteString("description", description);
                writer.WriteString("name", answer.Identity.Name);
                writer.WriteString("sex", answer.Identity.Sex);
                writer.WriteString("nation", answer.Identity.Nation);
                writer.WriteString("birth", answer.Identity.Birth);
                writer.WriteString("address", answer.Identity.Address);
                writer.WriteString("id_num", answer.Identity.IdNumber);
                var portrait = answer.Identity.IdNumber.Length == 0 || words.Contains("noportrait") ? string.Empty
                    : words.Contains("badportrait") ? "this is not base64!" : PortraitBase64;
                writer.WriteString("portrait", portrait);
                writer.WriteString("warnings", answer.Warnings);
                if (numbersAsStrings)
                {
                    writer.WriteString("quality", quality.ToString(CultureInfo.InvariantCulture));
                }
                else
                {
                    writer.WriteNumber("quality", quality);
                }

                if (words.Contains("encobject"))
                {
                    writer.WriteStartObject("encryption");
                    writer.WriteString("CiphertextBlob", "c2FuZGJveA==");
                    writer.WriteStartArray("EncryptList");
                    writer.WriteStringValue("id_num");
                    writer.WriteEndArray();
                    writer.WriteString("Iv", "AAAAAAAAAAAAAAAAAAAAAA==");
                    writer.WriteEndObject();
                }
                else if (words.Contains("encarray"))
                {
                    writer.WriteStartArray("encryption");
                    writer.WriteStringValue("id_num");
                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteNull("encryption");
                }

                if (words.Contains("extrafields"))
                {
                    writer.WriteString("request_id", "sandbox-" + answer.Identity.IdNumber);
                    writer.WriteStartObject("upstream");
                    writer.WriteNumber("latency_ms", 12);
                    writer.WriteEndObject();
                    writer.WriteBoolean("success", true);
                }

                writer.WriteEndObject();
            });
        }

        [Flags]
        private enum ErrorShape
        {
            Default = 0,
            BareString = 1,
            Null = 2,
            Missing = 4,
            NoSuccessField = 8,
        }

        private static SimulatedResponse Error(string code, int status, ErrorShape shape, uint hash, string? message = null)
        {
            message ??= ErrorMessages.TryGetValue(code, out var known) ? known : "Error.";
            var body = Write(writer =>
            {
                writer.WriteStartObject();
                if ((shape & ErrorShape.NoSuccessField) == 0)
                {
                    writer.WriteBoolean("success", false);
                }

                switch (shape & ~ErrorShape.NoSuccessField)
                {
                    case ErrorShape.BareString:
                        writer.WriteString("error", code);
                        break;
                    case ErrorShape.Null:
                        writer.WriteNull("error");
                        break;
                    case ErrorShape.Missing:
                        break;
                    default:
                        writer.WriteStartObject("error");
                        writer.WriteString("code", code);
                        writer.WriteString("message", message);
                        writer.WriteEndObject();
                        break;
                }

                writer.WriteString("trace_id", TraceId(hash));
                writer.WriteEndObject();
            });
            return new SimulatedResponse(status, body);
        }

        private static string TraceId(uint hash)
        {
            var bytes = new byte[16];
            for (var i = 0; i < 16; i++)
            {
                bytes[i] = (byte)(hash >> (8 * (i % 4)) ^ (uint)(i * 37));
            }

            return new Guid(bytes).ToString();
        }

        /// <summary>The keywords in the URL's file name, lower case.</summary>
        internal static HashSet<string> KeywordsOf(string imageUrl)
        {
            var words = new HashSet<string>(StringComparer.Ordinal);
            if (!Uri.TryCreate(imageUrl, UriKind.Absolute, out var uri))
            {
                return words;
            }

            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            var name = path.Substring(path.LastIndexOf('/') + 1);
            foreach (var extension in new[] { ".jpg", ".jpeg", ".png" })
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
                    words.Add(word.StartsWith("fail-", StringComparison.OrdinalIgnoreCase) ? "fail-" + word.Substring(5) : word.ToLowerInvariant());
                }
            }

            return words;
        }

        private static uint Hash(string text)
        {
            // FNV-1a: stable across runs and platforms, unlike string.GetHashCode.
            var hash = 2166136261u;
            foreach (var b in Encoding.UTF8.GetBytes(text))
            {
                hash = (hash ^ b) * 16777619u;
            }

            return hash;
        }

        private static string Write(Action<Utf8JsonWriter> write)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                write(writer);
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }

        private sealed class Outcome
        {
            public Identity Identity { get; set; } = Identity.Empty;

            public double Similarity { get; set; }

            public string Result { get; set; } = "Success";

            public string Warnings { get; set; } = string.Empty;
        }

        /// <summary>An obviously fictional identity, the same for the same URL every time.</summary>
        internal sealed class Identity
        {
            public static readonly Identity Empty = new Identity();

            public string Name { get; private set; } = string.Empty;

            public string Sex { get; private set; } = string.Empty;

            public string Nation { get; private set; } = string.Empty;

            public string Birth { get; private set; } = string.Empty;

            public string Address { get; private set; } = string.Empty;

            public string IdNumber { get; private set; } = string.Empty;

            public static Identity From(uint hash)
            {
                var birth = new DateTime(1960, 1, 1).AddDays(hash % (40 * 365));
                var male = (hash >> 8) % 2 == 0;
                var sequence = (int)((hash >> 12) % 500) * 2 + (male ? 1 : 0);
                var body = "110101" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + sequence.ToString("000", CultureInfo.InvariantCulture);
                return new Identity
                {
                    Name = Surnames[(hash >> 4) % Surnames.Length] + GivenNames[(hash >> 16) % GivenNames.Length],
                    Sex = male ? "男" : "女",
                    Nation = "汉",
                    Birth = birth.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture),
                    Address = $"沙盒省演示市测试路{1 + hash % 999}号",
                    IdNumber = body + IdNumbers.IdNumberValidator.CheckCharacter(body),
                };
            }

            /// <summary>The same card misread: another birth date and sex printed, and a wrong check character.</summary>
            public Identity Disagreeing()
            {
                var wrongCheck = IdNumber[17] == '0' ? '1' : '0';
                return new Identity
                {
                    Name = Name,
                    Sex = Sex == "男" ? "女" : "男",
                    Nation = Nation,
                    Birth = "1999/12/31",
                    Address = Address,
                    IdNumber = IdNumber.Substring(0, 17) + wrongCheck,
                };
            }
        }
    }

    /// <summary>The tokens the loopback emulator accepts, and special tokens that force each token error.</summary>
    internal sealed class SandboxTokens
    {
        public SandboxTokens(string validToken)
        {
            ValidToken = validToken;
        }

        public string ValidToken { get; }

        /// <summary>Returns null when the header carries the valid token, else the API error code the real service would send.</summary>
        public string? Check(string? authorization)
        {
            if (string.IsNullOrEmpty(authorization))
            {
                return "no_token";
            }

            if (!authorization!.StartsWith("Bearer ", StringComparison.Ordinal))
            {
                return "invalid_token";
            }

            var token = authorization.Substring("Bearer ".Length);
            switch (token)
            {
                case "expired-token": return "token_expired";
                case "used-up-token": return "used_up";
                case "disabled-token": return "disabled";
                case "mismatched-token": return "token_mismatched";
            }

            return token == ValidToken ? null : "invalid_token";
        }
    }
}
