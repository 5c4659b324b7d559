using System;
using System.Globalization;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Errors;

namespace SeedreamPS.Core.Http
{
    /// <summary>A gateway or the network refused or failed a request.</summary>
    public sealed class SeedreamApiException : Exception, ISeedreamError
    {
        /// <summary>Creates the exception. The message must already be free of the API key.</summary>
        public SeedreamApiException(SeedreamGateway? gateway, string message, Exception inner = null) : base(message, inner)
        {
            Gateway = gateway;
        }

        /// <summary>The gateway that answered (or did not); null for an image fetched without any gateway's connection
        /// (its message names the image host).</summary>
        public SeedreamGateway? Gateway { get; }

        /// <summary>The HTTP status, or null when no answer came (connection failure, timeout).</summary>
        public int? HttpStatus { get; internal set; }

        /// <summary>The gateway's error code (a number or a word, kept as text).</summary>
        public string ErrorCode { get; internal set; }

        /// <summary>The gateway's error type, for example <c>rate_limit_error</c>.</summary>
        public string ErrorType { get; internal set; }

        /// <summary>The request parameter the gateway blamed, where it named one.</summary>
        public string Param { get; internal set; }

        /// <summary>The gateway's request id, for its support desk.</summary>
        public string RequestId { get; internal set; }

        /// <summary>The gateway's own advice, where it gave some.</summary>
        public string Suggestion { get; internal set; }

        /// <summary>How long the gateway asked the client to wait, where it said.</summary>
        public TimeSpan? RetryAfter { get; internal set; }

        /// <summary>Whether trying the same request again later can succeed (rate limits, outages, timeouts);
        /// false where the request itself must change (validation, authentication, balance).</summary>
        public bool IsRetryable { get; internal set; }

        /// <summary>True when a create request may have reached the gateway and made a (paid) task
        /// although no answer says so: a 5xx, a timeout or a connection lost after sending.</summary>
        public bool OutcomeUnknown { get; internal set; }

        /// <summary>Whether a failure to connect was to the gateway's own API host (not its files API, not an image host),
        /// which fails every record of a batch.</summary>
        public bool FromApiHost { get; internal set; }

        /// <summary>Set by an adapter that knows from the body that no retry can help (for example an empty balance
        /// that a gateway reports as HTTP 500).</summary>
        internal bool Permanent { get; set; }

        /// <inheritdoc />
        public string ErrorId => ErrorIds.Api + "." + (IdName ?? ErrorCode ?? HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "ConnectionFailed");

        /// <summary>What the error id is named after where the gateway's code is not stable (EvoLink sends its code as a
        /// number or as a word, so its ids go by its error type, which both forms carry).</summary>
        internal string IdName { get; set; }

        /// <inheritdoc />
        public SeedreamErrorCategory Category
        {
            get
            {
                switch (HttpStatus)
                {
                    case 400: return SeedreamErrorCategory.InvalidArgument;
                    case 401: return SeedreamErrorCategory.AuthenticationError;
                    case 402: return SeedreamErrorCategory.QuotaExceeded;
                    case 403: return ErrorCode == Storage.DownloadErrorCodes.ImageUnavailable || ErrorCode == Storage.DownloadErrorCodes.ImageExpired ? SeedreamErrorCategory.ResourceUnavailable : SeedreamErrorCategory.PermissionDenied;
                    case 404: return SeedreamErrorCategory.ObjectNotFound;
                    case 429: return SeedreamErrorCategory.LimitsExceeded;
                    case null: return ErrorCode == null ? SeedreamErrorCategory.ConnectionError : SeedreamErrorCategory.InvalidData;
                    default: return HttpStatus >= 500 ? SeedreamErrorCategory.ResourceUnavailable : SeedreamErrorCategory.InvalidOperation;
                }
            }
        }

        /// <summary>True when no connection was made at all, so the gateway cannot have seen the request.</summary>
        internal bool NotSent { get; set; }

        /// <summary>The same error (id, category, fields) with <paramref name="more"/> added to what it says.</summary>
        internal SeedreamApiException WithMore(string more) =>
            new SeedreamApiException(Gateway, Message.TrimEnd() + (Message.TrimEnd().EndsWith(".", StringComparison.Ordinal) ? " " : ". ") + more, this)
            {
                HttpStatus = HttpStatus, ErrorCode = ErrorCode, ErrorType = ErrorType, Param = Param, RequestId = RequestId, Suggestion = Suggestion,
                RetryAfter = RetryAfter, IsRetryable = IsRetryable, OutcomeUnknown = OutcomeUnknown, Permanent = Permanent, IdName = IdName, NotSent = NotSent,
            };
    }
}
