using System;
using System.Linq;

namespace SeedreamPS.Core.Tasks
{
    /// <summary>Why a task failed, as the gateway said it.</summary>
    public sealed class SeedreamTaskError
    {
        // Server-side codes that EvoLink documents as able to succeed on a later try, with its own client's retry advice:
        // upstream_error and rate_limited are retryable; resource_not_found ("task id not found or expired") and
        // model_unavailable are not.
        private static readonly string[] TransientCodes =
        {
            "generation_failed_no_content", "service_error", "generation_timeout", "resource_exhausted",
            "quota_exceeded", "service_unavailable", "unknown_error", "upstream_error", "rate_limited",
        };

        /// <summary>Creates an error.</summary>
        public SeedreamTaskError(string code, string message)
        {
            Code = code;
            Message = message;
        }

        /// <summary>The gateway's error code, for example <c>content_policy_violation</c>.</summary>
        public string Code { get; }

        /// <summary>The gateway's message.</summary>
        public string Message { get; }

        /// <summary>True for server-side failures that may succeed if the request is submitted again;
        /// false where the caller must change something (content policy, parameters, images).</summary>
        public bool IsTransient => Code != null && TransientCodes.Contains(Code, StringComparer.OrdinalIgnoreCase);

        /// <inheritdoc />
        public override string ToString()
        {
            bool code = !string.IsNullOrWhiteSpace(Code), message = !string.IsNullOrWhiteSpace(Message);
            return code && message ? Code + ": " + Message : code ? Code : message ? Message : string.Empty;
        }
    }
}
