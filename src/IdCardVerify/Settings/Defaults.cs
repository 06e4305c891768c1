namespace IdCardVerify.Settings
{
    /// <summary>The built-in defaults of every option: the one place they are written.</summary>
    internal static class Defaults
    {
        public const double Threshold = 70;
        public const int ThrottleLimit = 8;
        public const int MaxRetries = 3;
        public const int TimeoutSec = 30;

        /// <summary>Below the API's default of 60 per second per token, leaving room for clock drift and other clients.</summary>
        public const double RequestsPerSecond = 50;
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
        public const int MaxThrottleLimit = 64;
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
