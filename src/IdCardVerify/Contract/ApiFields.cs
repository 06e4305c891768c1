namespace IdCardVerify.Contract
{
    /// <summary>
    /// The API's field names, written once: the request body, the answer (read by the client, written
    /// by the sandbox and by the checkpoint journal, which keeps answers in the API's own shape) and the
    /// error envelope.
    /// </summary>
    internal static class ApiFields
    {
        // The request.
        public const string ImageUrl = "image_url";
        public const string Config = "config";

        // The answer (HTTP 200).
        public const string Similarity = "sim";
        public const string Result = "result";
        public const string Description = "description";
        public const string Name = "name";
        public const string Sex = "sex";
        public const string Nation = "nation";
        public const string Birth = "birth";
        public const string Address = "address";
        public const string IdNumber = "id_num";
        public const string Portrait = "portrait";
        public const string Warnings = "warnings";
        public const string Quality = "quality";
        public const string Encryption = "encryption";

        // The error envelope.
        public const string Success = "success";
        public const string Error = "error";
        public const string Code = "code";
        public const string Message = "message";
        public const string TraceId = "trace_id";

        /// <summary>The business result of a successful comparison.</summary>
        public const string SuccessResult = "Success";
    }
}
