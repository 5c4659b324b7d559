using System;
using System.Collections;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Storage
{
    /// <summary>The gallery's entries, built from what reaches Export-SeedreamGallery: a saved file with what the
    /// pipeline says made it, what a file says about itself (<see cref="ImageProvenance"/>), a failed task. Each image's
    /// estimated cost is the catalogue's price for its gateway and model.</summary>
    public static class GalleryEntries
    {
        /// <summary>The entry for the image at <paramref name="path"/>, from what its pipeline object says; a file that
        /// says neither prompt nor task id (one listed from disk) is described by its embedded packet, its sidecar or
        /// the journal instead, when one of them knows it.</summary>
        /// <param name="path">The image's full path.</param>
        /// <param name="prompt">The prompt the object carries, or null.</param>
        /// <param name="model">The model, or null.</param>
        /// <param name="gateway">The gateway's name, or null.</param>
        /// <param name="taskId">The task id, or null.</param>
        /// <param name="columns">The input record's columns the object carries (SeedreamColumns), or null.</param>
        /// <param name="history">The journal's history, read only if needed and at most once for many files.</param>
        public static GalleryImage ForFile(string path, string prompt, string model, string gateway, string taskId, IDictionary columns, Lazy<JournalState> history)
        {
            if (prompt == null && taskId == null && history != null && ImageProvenance.Read(path, history) is ImageProvenance known) return For(known);
            var image = new GalleryImage { Path = path, Prompt = prompt, Model = model, Gateway = gateway, TaskId = taskId, CostUsd = PriceOf(gateway, model) };
            if (columns != null)
            {
                foreach (DictionaryEntry column in columns) AddColumn(image, column.Key?.ToString(), column.Value);
            }
            return image;
        }

        /// <summary>The entry for an image from what it says about itself.</summary>
        public static GalleryImage For(ImageProvenance info)
        {
            if (info == null) throw new ArgumentNullException(nameof(info));
            var image = new GalleryImage
            {
                Path = info.Path, Prompt = info.Prompt, Model = info.Model, Gateway = info.Gateway, TaskId = info.TaskId,
                DigitalSourceType = info.DigitalSourceType, CostUsd = PriceOf(info.Gateway, info.Model),
            };
            foreach (var column in info.Columns) AddColumn(image, column.Key, column.Value);
            return image;
        }

        /// <summary>The failure entry for a task the gateway finished without success.</summary>
        public static GalleryFailure ForFailedTask(SeedreamTask task) => new GalleryFailure
        {
            What = NameOf(task),
            Why = SeedreamTaskFailedException.MessageFor(task),
            ErrorId = ErrorIds.Qualified(ErrorIds.TaskFailed),
        };

        /// <summary>How a failure names a task: its record's Name column and its id, or its id alone.</summary>
        public static string NameOf(SeedreamTask task) =>
            task.Context.TryGetValue("Name", out var name) && name != null ? name + " (" + task.Id + ")" : task.Id;

        private static decimal? PriceOf(string gateway, string model) =>
            Enum.TryParse(gateway, out SeedreamGateway parsed) ? ModelCatalog.Find(parsed, model)?.PricePerImageUsd : null;

        // The prompt is the caption already.
        private static void AddColumn(GalleryImage image, string key, object value)
        {
            if (!string.IsNullOrEmpty(key) && !string.Equals(key, "Prompt", StringComparison.OrdinalIgnoreCase)) image.Columns[key] = value;
        }
    }
}
