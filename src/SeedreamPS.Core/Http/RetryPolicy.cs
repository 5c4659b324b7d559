using System;

namespace SeedreamPS.Core.Http
{
    /// <summary>How often and how patiently to retry: exponential backoff with jitter, honouring <c>Retry-After</c>.</summary>
    public sealed class RetryPolicy
    {
        [ThreadStatic] private static Random _random;

        /// <summary>How many times a failed request is tried again (0 = never).</summary>
        public int MaxRetries { get; set; } = 3;

        /// <summary>The wait before the first retry; it doubles each time.</summary>
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

        /// <summary>No computed wait is longer than this.</summary>
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>A <c>Retry-After</c> longer than this is not waited for; the error is reported instead.</summary>
        public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>Reads as "3 retries, 1 s to 30 s apart" in a table cell or Export-Csv, not as its type name.</summary>
        public override string ToString() => string.Format(System.Globalization.CultureInfo.InvariantCulture,
            "{0} retries, {1:0.##} s to {2:0.##} s apart", MaxRetries, BaseDelay.TotalSeconds, MaxDelay.TotalSeconds);

        /// <summary>The wait before retry number <paramref name="attempt"/> (1-based): backoff with jitter,
        /// and never shorter than what the server asked for.</summary>
        public TimeSpan DelayFor(int attempt, TimeSpan? retryAfter)
        {
            if (_random == null) _random = new Random(Guid.NewGuid().GetHashCode());
            double exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
            double capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
            // "Equal jitter": half fixed, half random, so clients that failed together do not retry together.
            double jittered = capped / 2 + _random.NextDouble() * capped / 2;
            if (retryAfter.HasValue && retryAfter.Value.TotalMilliseconds > jittered) jittered = retryAfter.Value.TotalMilliseconds;
            return TimeSpan.FromMilliseconds(jittered);
        }
    }
}
