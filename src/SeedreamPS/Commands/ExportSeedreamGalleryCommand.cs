using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes a self-contained HTML page to review saved images and the records that failed.</para>
    /// <para type="description">Export-SeedreamGallery takes the files Save-SeedreamImage outputs and writes one HTML page:
    /// a thumbnail grid with each image's label (the IPTC digital source type embedded in the file, such as AI-generated,
    /// or "not marked in the file"), prompt, model, gateway, estimated cost, task id and input columns, and a list of
    /// the records that failed and why (from -Failure, an -ErrorVariable's errors, or failed tasks and error records in
    /// the pipeline). At the end of a pipeline it lists the errors the SeedreamPS commands before it wrote, with no
    /// wiring; each failure is listed once. The page loads nothing from the network and has no script; images are linked relatively, so the
    /// folder can be zipped and mailed. Every text from data is escaped. It reads well on a phone and on a 4K monitor.
    /// It outputs the page's file.</para>
    /// </summary>
    /// <example>
    /// <code>Import-Csv ./examples/prompts.csv | New-SeedreamImage | Save-SeedreamImage -Path ./review | Export-SeedreamGallery -Path ./review/index.html</code>
    /// <para>Generates, saves and reviews a batch in one pipeline: the page lists the rows that failed in it, and why.</para>
    /// </example>
    /// <example>
    /// <code>$files = Import-Csv ./examples/prompts.csv | New-SeedreamImage -ErrorVariable failed | Save-SeedreamImage -Path ./review -ErrorVariable +failed
    /// $files | Export-SeedreamGallery -Path ./review/index.html -Failure $failed</code>
    /// <para>Generates a batch, saves it and writes a review page beside the images, failures included. (-Failure is read
    /// when its command starts, so the errors are collected first and passed in a second statement.)</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem ./out/*.png | Export-SeedreamGallery -Path ./out/index.html</code>
    /// <para>Writes a page for images saved earlier: what made each comes from its sidecar or the journal.</para>
    /// </example>
    [Cmdlet(VerbsData.Export, "SeedreamGallery", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportSeedreamGalleryCommand : SeedreamCmdletBase
    {
        private readonly List<GalleryImage> _images = new List<GalleryImage>();
        private readonly List<GalleryFailure> _failures = new List<GalleryFailure>();
        private readonly HashSet<Exception> _listed = new HashSet<Exception>();
        private PipelineFailures.Listener _pipeline;

        // The journal's history, read once for all the files of this command that come without what made them.
        private readonly Lazy<Core.Journal.JournalState> _history = new Lazy<Core.Journal.JournalState>(() => ModuleSession.Store.Journal.Load(includeArchives: true));

        /// <summary>
        /// <para type="description">The HTML file to write (index.html in the images' folder keeps the links short).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>
        /// <para type="description">Saved files from Save-SeedreamImage (or any image files: what made them comes from their
        /// sidecars or the journal), Get-SeedreamImageInfo results; failed tasks and error records are listed as failures. Default: none (a page without images).</para>
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject InputObject { get; set; }

        /// <summary>
        /// <para type="description">Errors of the batch (for example -ErrorVariable failed), listed as failed records. Default: none; the errors of the SeedreamPS cmdlets earlier in the same pipeline are listed anyway.</para>
        /// </summary>
        [Parameter]
        [AllowEmptyCollection]
        public object[] Failure { get; set; }

        /// <summary>
        /// <para type="description">The page's title (default: Seedream review).</para>
        /// </summary>
        [Parameter]
        public string Title { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            // At the end of a pipeline, the errors of the SeedreamPS cmdlets before it are its failures.
            if (MyInvocation.PipelinePosition > 1) _pipeline = PipelineFailures.Listen(this);
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (InputObject == null) return;
            NoteInput(InputObject);
            switch (InputObject.BaseObject)
            {
                case FileInfo file:
                    _images.Add(ImageOf(file, InputObject));
                    break;
                case ImageProvenance info:
                    _images.Add(GalleryEntries.For(info));
                    break;
                case SeedreamTask task when task.IsFinished && task.Status != SeedreamTaskStatus.Succeeded:
                    _failures.Add(GalleryEntries.ForFailedTask(task));
                    break;
                case ErrorRecord error:
                    AddFailure(error);
                    break;
                default:
                    WriteError(ErrorFor(new Core.Errors.SeedreamException(Core.Errors.ErrorIds.UnsupportedInput, Core.Errors.SeedreamErrorCategory.InvalidType,
                        "Export-SeedreamGallery takes the files Save-SeedreamImage outputs, failed tasks and error records; '" + InputObject + "' is none of these."), InputObject));
                    break;
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_pipeline != null)
            {
                PipelineFailures.Stop(_pipeline);
                foreach (var error in _pipeline.Errors) AddFailure(error);
            }
            foreach (var item in Failure ?? new object[0])
            {
                var value = Validation.Unwrap.Value(item);
                // -ErrorVariable keeps a stop as the exception that carries its record.
                if (value is IContainsErrorRecord carrier) value = carrier.ErrorRecord;
                if (value is ErrorRecord error) AddFailure(error);
            }
            string page = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            if (!ShouldProcess(page, "Write a review page of " + _images.Count + " image(s) and " + _failures.Count + " failure(s)")) return;
            try
            {
                WriteObject(new FileInfo(Gallery.Write(page, _images, _failures, Title)));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(ErrorFor(e, page));
            }
        }

        // The pipeline object's properties; GalleryEntries builds the entry.
        private GalleryImage ImageOf(FileInfo file, PSObject item)
        {
            string Text(string name) => Validation.Unwrap.Text(item.Properties[name]?.Value);
            return GalleryEntries.ForFile(file.FullName, Text("Prompt"), Text("Model"), Text("Gateway"), Text("TaskId"),
                Validation.Unwrap.Value(item.Properties["SeedreamColumns"]?.Value) as IDictionary, _history);
        }

        // Each failure once, however it arrived (piped, -Failure, or heard from the pipeline).
        private void AddFailure(ErrorRecord error)
        {
            if (error.Exception != null && !_listed.Add(error.Exception)) return;
            _failures.Add(FailureOf(error));
        }

        private static GalleryFailure FailureOf(ErrorRecord error) => new GalleryFailure
        {
            What = DescribeTarget(error.TargetObject),
            Why = error.Exception?.Message ?? error.ToString(),
            ErrorId = error.FullyQualifiedErrorId,
        };

        private static string DescribeTarget(object target)
        {
            var value = Validation.Unwrap.Value(target);
            if (value is SeedreamTask task) return GalleryEntries.NameOf(task);
            if (target is PSObject record)
            {
                foreach (var name in new[] { "Name", "Id", "Prompt" })
                {
                    string text = Validation.Unwrap.Text(record.Properties[name]?.Value);
                    if (!string.IsNullOrEmpty(text)) return text;
                }
            }
            return value?.ToString() ?? "(unknown)";
        }
    }
}
