using System;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Batch
{
    /// <summary>What happened to one item of an <see cref="ImageBatch"/>.</summary>
    public enum BatchEventKind
    {
        /// <summary>A new task was created (and paid for); it is in the journal.</summary>
        Created,

        /// <summary>A task an earlier run paid for was reused (-Resume).</summary>
        Reused,

        /// <summary>Not sent: an earlier create of the same request never got an answer (outcome unknown).</summary>
        Held,

        /// <summary>The gateway refused the create, or the budget did: nothing was made or paid for.</summary>
        Refused,

        /// <summary>The request broke a rule, or no connection could serve it; nothing was sent.</summary>
        Invalid,

        /// <summary>A fresh state of a watched task; it is still running.</summary>
        Progress,

        /// <summary>A watched task finished (succeeded, failed or was cancelled). Not raised for tasks the batch saves.</summary>
        Finished,

        /// <summary>An image was saved (or kept, see <see cref="SavedImage.Skipped"/>).</summary>
        Saved,

        /// <summary>A task succeeded without images (the prompt may have asked for fewer than Count).</summary>
        NoImages,

        /// <summary>Something failed for this item only: a create whose outcome is unknown, a task that failed, a query
        /// or a download that failed even after retries, a journal or file that could not be written.</summary>
        Failed,

        /// <summary>An image's URL has expired; the task is marked so in the journal.</summary>
        Expired,

        /// <summary>The wait ran out before the task finished; it keeps running on the gateway.</summary>
        TimedOut,

        /// <summary>Something the user should know about how records are sent (a warning, once per command for each
        /// kind): an endpoint id without its Seedream version, whose full checks and cost are unknown.</summary>
        Notice,
    }

    /// <summary>One event of an <see cref="ImageBatch"/>.</summary>
    public sealed class BatchEvent
    {
        internal BatchEvent(BatchEventKind kind, object target, SeedreamTask task = null, Exception error = null, SavedImage saved = null, ValidatedRequest request = null)
        {
            Kind = kind;
            Target = target;
            Task = task;
            Error = error;
            Saved = saved;
            Request = request;
        }

        /// <summary>What happened.</summary>
        public BatchEventKind Kind { get; }

        /// <summary>The input the event is about (the record, prompt, task or image the caller gave).</summary>
        public object Target { get; }

        /// <summary>The task, where there is one.</summary>
        public SeedreamTask Task { get; }

        /// <summary>The failure, for the kinds that report one; it carries an error id and category (<see cref="ISeedreamError"/>).</summary>
        public Exception Error { get; }

        /// <summary>The saved image, for <see cref="BatchEventKind.Saved"/>.</summary>
        public SavedImage Saved { get; }

        /// <summary>The checked request, for creates.</summary>
        public ValidatedRequest Request { get; }

        /// <inheritdoc />
        public override string ToString() => Kind + " " + (Task?.ToString() ?? Target?.ToString() ?? "") + (Error == null ? "" : ": " + Error.Message);
    }

    /// <summary>What <see cref="ImageBatch.Submit"/> did with an item, at once.</summary>
    public enum SubmitOutcome
    {
        /// <summary>It is being created or reused; events follow.</summary>
        Accepted,

        /// <summary>It broke a rule or no connection serves it (an <see cref="BatchEventKind.Invalid"/> event was raised).</summary>
        Invalid,

        /// <summary>The confirmation callback declined it (-WhatIf): nothing was sent.</summary>
        Declined,

        /// <summary>Held: an earlier create never got an answer (a <see cref="BatchEventKind.Held"/> event was raised).</summary>
        Held,

        /// <summary>Past the budget, or an unpriced model under one: not sent (a <see cref="BatchEventKind.Refused"/> event was raised).</summary>
        OverBudget,

        /// <summary>Not sent: the batch was stopped, or failed as a whole (see <see cref="ImageBatch.BatchFailure"/>).</summary>
        NotSent,
    }
}
