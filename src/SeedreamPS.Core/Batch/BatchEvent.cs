using System;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Batch
{
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
}
