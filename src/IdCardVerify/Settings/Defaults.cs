namespace IdCardVerify.Settings
{
    /// <summary>The built-in defaults of every option: the one place they are written.</summary>
    internal static class Defaults
    {
        public const double Threshold = 70;
        /// <summary>
        /// The most requests in flight when nothing else is asked. A run keeps only as many as its rate needs at
        /// the latency it observes (Pacing/ConcurrencySizer); this is the bound: 128 reaches the API's 60/s at 2 s answers.
        /// </summary>
        public const int ThrottleLimit = 128;
        public const int MaxRetries = 3;
        public const int TimeoutSec = 30;

        /// <summary>
        /// The ceiling the rate controller may probe up to: the API's documented limit, 60 requests per second per
        /// token (api-contract: "Limits"). A plan with a lower limit, or a token shared with another run, is found
        /// from the 429s (Pacing/RateController); a plan with a higher limit is used by raising this.
        /// </summary>
        public const double RequestsPerSecond = 60;
        public const ConfigKeyStyle KeyStyle = ConfigKeyStyle.Documented;
        public const bool Sandbox = false;
        public const bool IncludeFailed = false;
        public const string TokenVariable = "ACEDATACLOUD_API_TOKEN";
    }

    /// <summary>The accepted range of every option, shared by the ValidateRange attributes of Invoke- and Set-.</summary>
    internal static class Bounds
    {
        public const double MinThreshold = 0.0;
        public const double MaxThreshold = 100.0;
        public const int MinThrottleLimit = 1;
        public const int MaxThrottleLimit = 128;
        public const int MinTimeoutSec = 1;
        public const int MaxTimeoutSec = 600;
        public const int MinMaxRetries = 0;
        public const int MaxMaxRetries = 10;

        /// <summary>0 turns the client-side rate limit off.</summary>
        public const double MinRequestsPerSecond = 0.0;
        public const double MaxRequestsPerSecond = 10000.0;
        public const long MinTotalCount = 1;
        public const long MaxTotalCount = long.MaxValue;
    }
}
