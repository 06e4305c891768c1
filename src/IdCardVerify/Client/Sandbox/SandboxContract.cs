using System;
using System.Collections.Generic;

namespace IdCardVerify.Client.Sandbox
{
    /// <summary>The contract's tables the simulator answers from: error codes with their status and text, business results with their description.</summary>
    internal static class SandboxContract
    {
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

        /// <summary>The message the API sends with each error code.</summary>
        public static readonly IReadOnlyDictionary<string, string> ErrorMessages = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
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

        /// <summary>The contract's spelling of a business result code given in any case; unknown codes as given.</summary>
        public static string Canonical(string code)
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
    }
}
