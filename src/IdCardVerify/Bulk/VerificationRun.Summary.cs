using System.Globalization;

namespace IdCardVerify.Bulk
{
    /// <summary>The run's one line for -Verbose at the end: what was verified, and what the rate controller found.</summary>
    internal sealed partial class VerificationRun
    {
        /// <summary>One line for -Verbose at the end.</summary>
        public string Summary()
        {
            var text = string.Format(
                CultureInfo.InvariantCulture,
                "Done: {0} verified ({1} from the checkpoint journal), {2} failed, in {3:0.0} s.",
                Succeeded,
                _resumed,
                Failed,
                Elapsed.TotalSeconds);
            var limiter = _limiter;
            if (limiter == null || _options.Sandbox)
            {
                return text;
            }

            // What the rate controller made of the API's 429s: why a run went at the pace it did.
            var limit = limiter.FoundLimit;
            var ceiling = limiter.Ceiling;
            var rate = double.IsInfinity(limit)
                ? " Rate: no ceiling and no limit met."
                : limit >= ceiling
                    ? string.Format(CultureInfo.InvariantCulture, " Rate: up to the ceiling, {0:0.#}/s; no lower limit met.", ceiling)
                    : string.Format(CultureInfo.InvariantCulture, " Rate: the API's limit found at {0:0.#}/s ({1}).", limit, double.IsInfinity(ceiling) ? "no ceiling" : string.Format(CultureInfo.InvariantCulture, "ceiling {0:0.#}/s", ceiling));
            var peers = limiter.MostPeers;
            rate += peers > 0 ? string.Format(CultureInfo.InvariantCulture, " Shared the token fairly with up to {0} run(s) in other processes.", peers) : string.Empty;
            rate += limiter.FaultReason is string off ? " " + off : string.Empty;
            var noise = limiter.Noise;
            return text + rate + (noise > 0
                ? string.Format(CultureInfo.InvariantCulture, " About {0:0}% of answers were 429s that did not respond to rate (noise): retried, and not taken for a limit.", noise * 100)
                : string.Empty);
        }
    }
}
