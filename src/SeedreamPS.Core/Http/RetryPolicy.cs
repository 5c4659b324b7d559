using System;

namespace SeedreamPS.Core.Http
{
    /// <summary>How often and how patiently to retry: exponential backoff with jitter, honouring <c>Retry-After</c>.
    /// Frozen, like its connection, once a client uses it.</summary>
    public sealed class RetryPolicy
    {
        [ThreadStatic] private static Random _random;
        private int _maxRetries = 3;
        private TimeSpan _baseDelay = TimeSpan.FromSeconds(1);
        private TimeSpan _maxDelay = TimeSpan.FromSeconds(30);
        private TimeSpan _maxRetryAfter = TimeSpan.FromMinutes(2);
        private bool _frozen;

        /// <summary>How many times a failed request is tried again (0 = never).</summary>
        public int MaxRetries
        {
            get => _maxRetries;
            set => _maxRetries = Settable(value);
        }

        /// <summary>The wait before the first retry; it doubles each time.</summary>
        public TimeSpan BaseDelay
        {
            get => _baseDelay;
            set => _baseDelay = Settable(value);
        }

        /// <summary>No computed wait is longer than this.</summary>
        public TimeSpan MaxDelay
        {
            get => _maxDelay;
            set => _maxDelay = Settable(value);
        }

        /// <summary>A <c>Retry-After</c> longer than this is not waited for; the error is reported instead.</summary>
        public TimeSpan MaxRetryAfter
        {
            get => _maxRetryAfter;
            set => _maxRetryAfter = Settable(value);
        }

        internal void Freeze() => _frozen = true;

        private T Settable<T>(T value)
        {
            if (_frozen) throw new InvalidOperationException("This retry policy is in use: it was fixed when a client was built with it. To retry differently, run Connect-Seedream again with -MaxRetryCount and every other setting you want, or give a new RetryPolicy to a new SeedreamConnection.");
            return value;
        }

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
