using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Journal
{
    /// <summary>A paid task as the journal remembers it.</summary>
    public sealed class JournalTask
    {
        internal JournalTask(string id) => Id = id;

        /// <summary>The task id.</summary>
        public string Id { get; }

        /// <summary>The gateway.</summary>
        public SeedreamGateway Gateway { get; internal set; }

        /// <summary>The model.</summary>
        public string Model { get; internal set; }

        /// <summary>When the gateway created it.</summary>
        public DateTimeOffset? CreatedAt { get; internal set; }

        /// <summary>The prompt.</summary>
        public string Prompt { get; internal set; }

        /// <summary>How many images the request asked (and was pre-charged) for, where recorded.</summary>
        public int? Count { get; internal set; }

        /// <summary>What the gateway reported it charged when the task was created (LinkModel: USD; EvoLink: credits).</summary>
        public decimal? Charge { get; internal set; }

        /// <summary>The input record's properties, as text.</summary>
        public Dictionary<string, object> Context { get; } = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Result URLs, where the gateway gave them at once (ModelArk); null for an image that came inline, which
        /// has no URL and cannot be fetched again.</summary>
        public List<string> ImageUrls { get; } = new List<string>();

        /// <summary>Whether the images were streamed (recorded one by one as they arrived).</summary>
        public bool Streamed { get; internal set; }

        /// <summary>Whether the stream ended complete; false for one broken off (or cut by a crash): the images recorded
        /// are all there is.</summary>
        public bool StreamComplete { get; internal set; }

        /// <summary>Indexes of images that came inline, were never saved, and whose decoded file is gone: there is no URL
        /// to fetch them again.</summary>
        public IEnumerable<int> Unfetchable => Enumerable.Range(0, ImageUrls.Count).Where(i => ImageUrls[i] == null && !Saved.ContainsKey(i) && !HasStagedFile(i));

        /// <summary>Where each inline image was decoded to, by image index, until it is saved.</summary>
        internal Dictionary<int, string> InlineFiles { get; } = new Dictionary<int, string>();

        // Where an inline image can be read from: its decoded file while it waits, else a file it was saved to (a second
        // save, to another folder, copies that), else the decoded file's name, gone, for the error that says so.
        private string InlineSource(int index)
        {
            if (HasStagedFile(index)) return InlineFiles[index];
            if (Saved.TryGetValue(index, out var saved) && File.Exists(saved)) return saved;
            return InlineFiles.TryGetValue(index, out var staged) ? staged : null;
        }

        /// <summary>Whether inline image <paramref name="index"/>'s decoded file is still there to be saved.</summary>
        internal bool HasStagedFile(int index) => InlineFiles.TryGetValue(index, out var file) && File.Exists(file);

        /// <summary>Saved files by image index.</summary>
        public Dictionary<int, string> Saved { get; } = new Dictionary<int, string>();

        /// <summary>Whether the task finished without images.</summary>
        public bool Failed { get; internal set; }

        /// <summary>Whether a download found the images gone.</summary>
        public bool MarkedExpired { get; internal set; }

        /// <summary>Whether the images can no longer be fetched: marked so, or older than the gateways keep them.</summary>
        public bool IsExpired => MarkedExpired || (CreatedAt.HasValue && CreatedAt.Value + SeedreamTask.ResultLifetime <= DateTimeOffset.UtcNow);

        /// <summary>Whether the task's record came from a create (and not only from a saved file).</summary>
        public bool KnownCreated { get; internal set; }

        /// <summary>A copy that later records do not change.</summary>
        internal JournalTask Copy()
        {
            var copy = new JournalTask(Id)
            {
                Gateway = Gateway,
                Model = Model,
                CreatedAt = CreatedAt,
                Prompt = Prompt,
                Count = Count,
                Charge = Charge,
                Failed = Failed,
                MarkedExpired = MarkedExpired,
                Streamed = Streamed,
                StreamComplete = StreamComplete,
                KnownCreated = KnownCreated,
            };
            foreach (var pair in Context) copy.Context[pair.Key] = pair.Value;
            copy.ImageUrls.AddRange(ImageUrls);
            foreach (var pair in Saved) copy.Saved[pair.Key] = pair.Value;
            foreach (var pair in InlineFiles) copy.InlineFiles[pair.Key] = pair.Value;
            return copy;
        }

        /// <summary>The task as an object the cmdlets take: finished with its images where the journal has them,
        /// otherwise pending until the gateway is asked.</summary>
        public SeedreamTask ToTask()
        {
            var task = new SeedreamTask
            {
                Gateway = Gateway,
                Id = Id,
                Model = Model,
                CreatedAt = CreatedAt,
                // A stream cannot be asked again: with no image recorded, there is none to have.
                Status = ImageUrls.Count > 0 ? SeedreamTaskStatus.Succeeded : Streamed ? SeedreamTaskStatus.Failed : SeedreamTaskStatus.Pending,
                Progress = ImageUrls.Count > 0 || Streamed ? 100 : 0,
                Request = new SeedreamRequest { Prompt = Prompt, Model = Model },
                Streamed = Streamed,
            };
            if (task.Status == SeedreamTaskStatus.Failed) task.Error = new SeedreamTaskError("stream_broken", "The stream ended before any image of it was recorded.");
            var expires = (CreatedAt ?? DateTimeOffset.UtcNow) + SeedreamTask.ResultLifetime;
            for (int i = 0; i < ImageUrls.Count; i++)
            {
                // An inline image has no URL: saving it again says it cannot be fetched, rather than pretend.
                task.Images.Add(ImageUrls[i] == null
                    ? new SeedreamImage(Id, i, null, null) { Inline = true, InlineFile = InlineSource(i) }
                    : new SeedreamImage(Id, i, new Uri(ImageUrls[i]), expires));
            }
            foreach (var pair in Context) task.Context[pair.Key] = pair.Value;
            return task;
        }
    }
}
