namespace IdCardVerify.Client.Sandbox
{
    /// <summary>What the simulator answers: status, body, and the headers that matter.</summary>
    internal sealed class SimulatedResponse
    {
        public SimulatedResponse(int status, string body, string contentType = "application/json")
        {
            Status = status;
            Body = body;
            ContentType = contentType;
        }

        public int Status { get; }

        public string Body { get; }

        public string ContentType { get; }

        /// <summary>Value for a Retry-After header, or null for none.</summary>
        public string? RetryAfter { get; set; }
    }
}
