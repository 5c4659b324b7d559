using System;
using System.Collections.Generic;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Requests;

namespace SeedreamPS.Core.Tasks
{
    /// <summary>A generation task on some gateway, in one shape for all of them.</summary>
    public sealed class SeedreamTask
    {
        /// <summary>How long the gateways keep result URLs valid.</summary>
        public static readonly TimeSpan ResultLifetime = TimeSpan.FromHours(24);

        /// <summary>The gateway the task lives on.</summary>
        public SeedreamGateway Gateway { get; set; }

        /// <summary>The gateway's task id.</summary>
        public string Id { get; set; }

        /// <summary>The model's wire name.</summary>
        public string Model { get; set; }

        /// <summary>Where the task is in its life.</summary>
        public SeedreamTaskStatus Status { get; set; }

        /// <summary>Progress in percent, 0 to 100.</summary>
        public int Progress { get; set; }

        /// <summary>When the gateway created the task.</summary>
        public DateTimeOffset? CreatedAt { get; set; }

        /// <summary>When this client sent the create request (this machine's clock), where it did. Gateways give their
        /// creation time in whole seconds; polling schedules count from this more precise moment.</summary>
        public DateTimeOffset? SubmittedAt { get; set; }

        /// <summary>When this state was read from the gateway.</summary>
        public DateTimeOffset UpdatedAt { get; set; } = DateTimeOffset.UtcNow;

        /// <summary>The gateway's estimate of the generation time in seconds, where it gives one.</summary>
        public int? EstimatedSeconds { get; set; }

        /// <summary>What the gateway reserved or charged for the task, in its own unit (credits or USD).</summary>
        public decimal? Charge { get; set; }

        /// <summary>The gateway's request id of the last answer, where it gives one (for its support desk).</summary>
        public string RequestId { get; set; }

        /// <summary>Web searches the gateway reported for the task (ModelArk usage.tool_usage.web_search), where it did.</summary>
        public int? WebSearches { get; set; }

        /// <summary>Files this client uploaded for the task's local reference images (EvoLink's files API ids); they can be
        /// deleted once the task has finished.</summary>
        public IList<string> UploadedFiles { get => _uploadedFiles; set => _uploadedFiles = ReadableList<string>.From(value); }

        /// <summary>Whether the images were streamed one by one as they were made (ModelArk's <c>stream: true</c>).</summary>
        public bool Streamed { get; set; }

        /// <summary>Whether the task's images are still streaming in (more may arrive).</summary>
        public bool IsStreaming => Feed != null && !Feed.Ended;

        /// <summary>The images of a stream still arriving; null for a task answered at once or a stream that has ended.</summary>
        internal Client.ImageFeed Feed { get; set; }

        /// <summary>The generated images, once the task succeeded.</summary>
        public IList<SeedreamImage> Images { get => _images; set => _images = value as SeedreamImageList ?? new SeedreamImageList(value); }

        /// <summary>Images of a batch the gateway could not make while it made the others (ModelArk: data[] entries with an
        /// error), each with its position in the batch and the gateway's reason.</summary>
        public IList<SeedreamImageFailure> FailedImages { get => _failedImages; set => _failedImages = ReadableList<SeedreamImageFailure>.From(value); }

        // Collections read as their items in Export-Csv and table cells, whatever list a caller assigns.
        private IList<string> _uploadedFiles = new ReadableList<string>();
        private IList<SeedreamImage> _images = new SeedreamImageList();
        private IList<SeedreamImageFailure> _failedImages = new ReadableList<SeedreamImageFailure>();

        /// <summary>Why the task failed, once it failed.</summary>
        public SeedreamTaskError Error { get; set; }

        /// <summary>The request the task was created from, when known.</summary>
        public SeedreamRequest Request { get; set; }

        /// <summary>Properties carried from the pipeline input the task came from (for example a CSV row's columns).</summary>
        public IDictionary<string, object> Context { get; set; } = new SeedreamContext();

        /// <summary>True when this run took the task from the journal (-Resume) instead of paying for a new one.</summary>
        public bool Reused { get; set; }

        /// <summary>The prompt the task was made from, where known.</summary>
        public string Prompt => Request?.Prompt;

        /// <summary>Whether the task can change no more.</summary>
        public bool IsFinished => Status == SeedreamTaskStatus.Succeeded || Status == SeedreamTaskStatus.Failed || Status == SeedreamTaskStatus.Cancelled;

        /// <summary>Takes the gateway-reported state of <paramref name="fresh"/>, keeping what only the client knows
        /// (the request and carried context).</summary>
        public void UpdateFrom(SeedreamTask fresh)
        {
            if (fresh == null) throw new ArgumentNullException(nameof(fresh));
            Status = fresh.Status;
            Progress = fresh.Progress;
            Model = fresh.Model ?? Model;
            CreatedAt = fresh.CreatedAt ?? CreatedAt;
            UpdatedAt = fresh.UpdatedAt;
            EstimatedSeconds = fresh.EstimatedSeconds ?? EstimatedSeconds;
            Charge = fresh.Charge ?? Charge;
            Images = fresh.Images;
            Error = fresh.Error;
            RequestId = fresh.RequestId ?? RequestId;
        }

        /// <inheritdoc />
        public override string ToString() => Gateway + "/" + Id + " " + Status;
    }
}
