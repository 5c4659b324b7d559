using System;
using System.IO;
using System.Management.Automation;
using SeedreamPS.Core;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Validation;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Saves the images of Seedream tasks to files.</para>
    /// <para type="description">Save-SeedreamImage takes tasks (waiting for unfinished ones), images, or image URLs, and
    /// streams each image to a file in the -Path folder. Each file is written to a temporary name and renamed only when
    /// complete and confirmed to be an image, so an interrupted download never leaves a partial file. It outputs a
    /// FileInfo per saved file carrying what produced it: TaskId, ImageIndex, Gateway, Model, Prompt, ImageUrl,
    /// DigitalSourceType (what the embedded metadata says, empty with -NoEmbeddedMetadata) and the input record's columns,
    /// so Export-Csv of the output is an asset manifest. A column whose name is a file property (Name, Size, Length, ...)
    /// leaves the file's own property; it is reached through SeedreamColumns, which holds every column of the record:
    /// $file.SeedreamColumns.Name, or in Select-Object @{ n = 'Name'; e = { $_.SeedreamColumns.Name } }.</para>
    /// <para type="description">-FileName is a template: {Id} (task id), {Index} (from 0), {Number} (from 1), {Model},
    /// {Gateway}, {Date}, {Time}, {Prompt}, {Ext} (.png unless the URL says otherwise), and any property the task
    /// carried from its input record, such as {Name} from a CSV column. Numbers take formats: {Index:00}. Values from
    /// data cannot leave the folder: separators, '..', invalid characters and reserved names are made safe.</para>
    /// <para type="description">An existing file is an error and is left untouched, unless -Force (replace it) or
    /// -NoClobber (keep it silently, unless the journal says it holds another image). Two images never share a file
    /// name: the second is an error (SeedreamPS.FileNameCollision) naming both, and stays unsaved in the journal. Every saved file is recorded in the journal, and a file the journal says was
    /// saved to the same name is kept without a second download, so a re-run saves only what is missing.
    /// Get-SeedreamTask -Unsaved lists paid tasks whose images are not saved yet.</para>
    /// <para type="description">Every PNG and JPEG gets an XMP packet as it streams to disk (the pixels are not touched):
    /// the IPTC digital source type trainedAlgorithmicMedia, which publishers and platforms read to label AI images, and
    /// the creator tool, model, gateway, task id, image index and creation time. The prompt is added only with
    /// -EmbedPrompt, input columns only with -EmbedColumn; the API key and image URLs never. -NoEmbeddedMetadata saves
    /// the file as served. Get-SeedreamImageInfo reads the packet back.</para>
    /// </summary>
    /// <example>
    /// <code>Import-Csv ./examples/prompts.csv | New-SeedreamImage | Save-SeedreamImage -Path ./out -FileName '{Name}-{Index}.png'</code>
    /// <para>Generates a batch from a CSV file and saves each image under its row's Name column.</para>
    /// </example>
    /// <example>
    /// <code>$id = (New-SeedreamImage 'A lighthouse at dusk').Id   # or an id from an earlier run's log
    /// Get-SeedreamTask -Id $id | Save-SeedreamImage -Path ./images -NoClobber</code>
    /// <para>Saves the images of an earlier task by its id, skipping files already saved.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv ./examples/prompts.csv | New-SeedreamImage | Save-SeedreamImage -Path ./labelled -EmbedPrompt -EmbedColumn Name</code>
    /// <para>Saves the images with the prompt and the Name column in their embedded metadata, beside the AI mark.</para>
    /// </example>
    /// <example>
    /// <code>$url = (New-SeedreamImage 'A lighthouse at dusk' -Wait).Images[0].Url.AbsoluteUri   # a result URL, valid for 24 hours
    /// $url | Save-SeedreamImage -Path ./out</code>
    /// <para>Saves an image by its URL; result URLs need no key. A URL of no known task is fetched with the proxy, timeout and
    /// retries of the connection Connect-Seedream made last (the session's default gateway), or 100 s and 3 retries without one.</para>
    /// </example>
    [Cmdlet(VerbsData.Save, "SeedreamImage", DefaultParameterSetName = InputSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveSeedreamImageCommand : SeedreamApiCmdletBase
    {
        // -Force and -NoClobber exclude each other: each has its own set beside each way of naming the input, so
        // PowerShell refuses both together before the command starts.
        private const string InputSet = "Input";
        private const string InputForceSet = "InputForce";
        private const string InputNoClobberSet = "InputNoClobber";
        private const string ByIdSet = "ById";
        private const string ByIdForceSet = "ByIdForce";
        private const string ByIdNoClobberSet = "ByIdNoClobber";
        private int _urlCount;
        private string _folder;

        /// <summary>
        /// <para type="description">Tasks, images (SeedreamImage), image URLs, task ids, or records with an Id (task id) or Url property.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = InputSet, ValueFromPipeline = true)]
        [Parameter(Mandatory = true, ParameterSetName = InputForceSet, ValueFromPipeline = true)]
        [Parameter(Mandatory = true, ParameterSetName = InputNoClobberSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject InputObject { get; set; }

        /// <summary>
        /// <para type="description">Ids of tasks whose images to save.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ByIdSet)]
        [Parameter(Mandatory = true, ParameterSetName = ByIdForceSet)]
        [Parameter(Mandatory = true, ParameterSetName = ByIdNoClobberSet)]
        [Alias("TaskId")]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; }

        /// <summary>
        /// <para type="description">The folder to save into (created if missing). Default: the current location.</para>
        /// </summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>
        /// <para type="description">The file name template; may contain subfolders. Tokens: {Id} (or {TaskId}), {Index} (from
        /// 0), {Number} (from 1), {Model}, {Gateway}, {Date}, {Time}, {Prompt}, {Ext} (the image's format, with its dot), and
        /// any column of the input record, such as {Name}; numbers take formats, as {Index:00}. Tab completion offers them.
        /// Default: {Id}-{Index}{Ext}.</para>
        /// </summary>
        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(FileNameCompleter))]
        public string FileName { get; set; } = FileNameTemplate.Default;

        /// <summary>
        /// <para type="description">Replaces existing files.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = InputForceSet)]
        [Parameter(Mandatory = true, ParameterSetName = ByIdForceSet)]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// <para type="description">Keeps existing files and skips their download without an error.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = InputNoClobberSet)]
        [Parameter(Mandatory = true, ParameterSetName = ByIdNoClobberSet)]
        public SwitchParameter NoClobber { get; set; }

        /// <summary>
        /// <para type="description">How many seconds to wait at most for unfinished tasks. Default: until every task finishes.</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(int))]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <summary>
        /// <para type="description">The largest file accepted, in bytes (default 200 MB, far above any 4K image). A larger
        /// download is stopped and nothing is kept.</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(long))]
        [ValidateRange(1L, long.MaxValue)]
        public long MaxBytes { get; set; } = DownloadOptions.DefaultMaxBytes;

        /// <summary>
        /// <para type="description">Most downloads at once (default 8). Each streams to disk in small chunks, so memory
        /// does not grow with it.</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(int))]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = SaveOptions.DefaultMaxConcurrentDownloads;

        /// <summary>
        /// <para type="description">Writes &lt;file&gt;.json beside each saved image, atomically like the image: prompt, model,
        /// gateway, task id, image index, size, quality, created and saved time, the input record's columns and the module
        /// version, so the image can be traced without the journal (Get-SeedreamImageInfo reads it back).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Sidecar { get; set; }

        /// <summary>
        /// <para type="description">Saves each image exactly as the gateway served it, without the XMP packet that otherwise
        /// marks every PNG and JPEG as made by AI (IPTC digital source type trainedAlgorithmicMedia) and says what made it
        /// (creator tool, model, gateway, task id, image index, creation time).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter NoEmbeddedMetadata { get; set; }

        /// <summary>
        /// <para type="description">Also writes the prompt into the embedded XMP packet (IPTC AI Prompt Information). Off by
        /// default: prompts can be confidential, and saved files get published.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter EmbedPrompt { get; set; }

        /// <summary>
        /// <para type="description">Input record columns (by name, or * for all) to write into the embedded XMP packet, such
        /// as a campaign or asset id. Default: none.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] EmbedColumn { get; set; }

        /// <summary>
        /// <para type="description">Keeps the local reference images uploaded to EvoLink's files API for these tasks. Without
        /// it they are deleted once every task of this command that used them has finished (the files API keeps at most
        /// 100 files; uploads expire after 72 hours anyway).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter KeepUploads { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            string folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(string.IsNullOrEmpty(Path) ? "." : Path);
            _folder = folder;
            // PowerShell runs every begin block before the first record reaches New-SeedreamImage: an unwritable folder
            // stops the pipeline here, before anything is sent (the batch checks it as it starts).
            try
            {
                StartSaving(folder);
            }
            catch (SeedreamException e)
            {
                ThrowTerminatingError(ErrorFor(e, Path));
            }
        }

        private void StartSaving(string folder)
        {
            StartBatch(new BatchOptions
            {
                Wait = true,
                KeepUploads = KeepUploads,
                WaitTimeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null,
                Save = new SaveOptions
                {
                    Folder = folder,
                    FileNameTemplate = FileName,
                    ExistingFile = Force ? ExistingFileAction.Overwrite : NoClobber ? ExistingFileAction.Skip : ExistingFileAction.Fail,
                    MaxConcurrentDownloads = ThrottleLimit,
                    MaxBytes = MaxBytes,
                    Sidecar = Sidecar,
                    EmbedMetadata = !NoEmbeddedMetadata,
                    EmbedPrompt = EmbedPrompt,
                    EmbedColumns = EmbedColumn,
                    // -WhatIf says what would be written and writes nothing, the folder included.
                    VerifyFolder = ShouldProcess(folder, "Save images into this folder (created if missing)"),
                },
            });
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByIdSet || ParameterSetName == ByIdForceSet || ParameterSetName == ByIdNoClobberSet)
            {
                foreach (var id in Id) Accept(FetchTask(id, null, id), id);
                return;
            }
            NoteInput(InputObject);
            object value = InputObject.BaseObject;
            switch (value)
            {
                case SeedreamTask task:
                    Accept(task, task);
                    break;
                case SeedreamImage image:
                    SaveImage(image, InputObject);
                    break;
                case Uri uri:
                    SaveImage(new SeedreamImage(null, _urlCount++, uri, null), InputObject);
                    break;
                case string text when Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url):
                    SaveImage(new SeedreamImage(null, _urlCount++, url, null), InputObject);
                    break;
                default:
                    string link = Text.NullIfBlank(InputObject.Properties["Url"]?.Value?.ToString());
                    if (!(value is string) && link != null && Uri.TryCreate(link, UriKind.Absolute, out var recordUrl))
                    {
                        string id = InputObject.Properties["Id"]?.Value?.ToString() ?? InputObject.Properties["TaskId"]?.Value?.ToString();
                        SaveImage(new SeedreamImage(id, _urlCount++, recordUrl, null), InputObject);
                        break;
                    }
                    foreach (var input in TaskInput.Read(InputObject, this))
                    {
                        Accept(input.Task ?? FetchTask(input.Id, input.Gateway, InputObject), InputObject);
                    }
                    break;
            }
        }

        /// <inheritdoc />
        protected override void EndProcessing() => FinishBatch();

        /// <inheritdoc />
        protected override void OnBatchEvent(BatchEvent e)
        {
            if (e.Kind != BatchEventKind.Saved)
            {
                base.OnBatchEvent(e);
                return;
            }
            var saved = e.Saved;
            if (saved.Skipped)
            {
                WriteVerbose("Kept the existing " + saved.Path + ".");
                return;
            }
            WriteObject(OutputObjects.File(AsProviderItem(saved.Path), saved));
        }

        // Get-Item's view of the file (with PSPath and friends), so the default FileInfo formatting works.
        private PSObject AsProviderItem(string path)
        {
            try
            {
                var items = InvokeProvider.Item.Get(new[] { path }, true, true);
                if (items.Count == 1) return items[0];
            }
            catch (Exception e) when (e is ItemNotFoundException || e is ProviderNotFoundException || e is NotSupportedException)
            {
                WriteDebug("Could not read " + path + " through the FileSystem provider: " + e.Message);
            }
            return PSObject.AsPSObject(new FileInfo(path));
        }

        private void Accept(SeedreamTask task, object target)
        {
            if (task == null) return;
            // -WhatIf: nothing is waited for, downloaded or written.
            if (!ShouldProcess("task " + task.Id + (task.Images.Count > 0 ? " (" + task.Images.Count + " image(s))" : string.Empty), "Save images into " + _folder)) return;
            WaitForCapacity();
            Batch.Add(task, target);
            // A stream still arriving: each file goes down the pipeline as its image is saved.
            WriteWhileStreaming(task);
        }

        private void SaveImage(SeedreamImage image, object target)
        {
            if (!ShouldProcess(image.Url?.AbsoluteUri ?? "image " + image.Index, "Save image into " + _folder)) return;
            WaitForCapacity();
            Batch.AddImage(image, null, target);
        }
    }
}
