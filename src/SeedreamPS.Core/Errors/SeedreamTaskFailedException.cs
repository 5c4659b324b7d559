using System.Collections.Generic;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Errors
{
    /// <summary>A task finished without images: failed or cancelled on the gateway. Its id is
    /// <c>TaskFailed.&lt;gateway code&gt;</c> (<c>TaskFailed.unknown</c> where the gateway gave none).</summary>
    public sealed class SeedreamTaskFailedException : SeedreamException
    {
        /// <summary>Creates the error for <paramref name="task"/>.</summary>
        public SeedreamTaskFailedException(SeedreamTask task)
            : base(ErrorIds.TaskFailed + "." + (string.IsNullOrWhiteSpace(task.Error?.Code) ? "unknown" : task.Error.Code), SeedreamErrorCategory.InvalidResult, MessageFor(task))
        {
            Task = task;
        }

        /// <summary>The task.</summary>
        public SeedreamTask Task { get; }

        /// <summary>What to tell the user about a task that has no images to save. Never an empty reason: where the
        /// gateway gave none, it says so and adds what is known (status, error code, request id).</summary>
        public static string MessageFor(SeedreamTask task)
        {
            if (!task.IsFinished) return "Task " + task.Id + " on " + task.Gateway + " has not finished (" + task.Status + ").";
            string reason = task.Error?.ToString();
            var known = new List<string> { "status " + task.Status };
            if (!string.IsNullOrWhiteSpace(task.Error?.Code)) known.Add("error code " + task.Error.Code);
            if (!string.IsNullOrWhiteSpace(task.RequestId)) known.Add("request id " + task.RequestId);
            if (string.IsNullOrWhiteSpace(reason) || string.IsNullOrWhiteSpace(task.Error?.Message))
            {
                reason = "the gateway gave no reason (" + string.Join(", ", known) + ")";
            }
            else if (!string.IsNullOrWhiteSpace(task.RequestId))
            {
                reason += " (request id " + task.RequestId + ")";
            }
            string message = "Task " + task.Id + " on " + task.Gateway + (task.Status == SeedreamTaskStatus.Cancelled ? " was cancelled" : " failed") + ": " + reason;
            return task.Error?.IsTransient == true ? message + " (a server-side failure: submitting the request again may succeed)" : message;
        }
    }
}
