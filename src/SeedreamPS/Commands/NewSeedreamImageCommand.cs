using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using SeedreamPS.Core;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.References;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Validation;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Submits image generation tasks to a Seedream gateway.</para>
    /// <para type="description">New-SeedreamImage turns each prompt, or each input record such as an Import-Csv row,
    /// into a generation request, checks it against every documented limit of the model before anything is sent, and
    /// submits it. It outputs one SeedreamTask per request; the task carries the other properties of its input record
    /// (for example a CSV Name column), so Save-SeedreamImage can name files after them.</para>
    /// <para type="description">Each pipeline record is read as a whole: CSV columns (or properties, or hashtable keys) named
    /// Prompt, Model, Size, Quality, Count (or N, MaxImages), ReferenceImage (or ImageUrls, Images), PromptPriority,
    /// CallbackUri, NoWatermark and Gateway need no glue code; empty cells mean "use the default"; parameters given on the
    /// command line win over the record's values. A string is a prompt; a file (Get-ChildItem) is a reference image and
    /// nothing else of it is read, so its Size or Name never bind. The task carries the record's other columns as
    /// properties ($task.Name). A record that breaks a rule produces a non-terminating error naming the parameter and the
    /// rule, and the rest of the batch goes on.</para>
    /// <para type="description">Submitting costs money: -WhatIf shows, per record and in total, the model, the number
    /// of images and the estimated cost, and sends nothing. With -Wait the cmdlet waits for the tasks and outputs each
    /// one as it finishes; a task the gateway failed is output too and is a non-terminating error (SeedreamPS.TaskFailed.*),
    /// which the next cmdlet of the pipeline does not report again. Errors about a record name it: its position in the
    /// input and its Name column, or else its first column.</para>
    /// </summary>
    /// <example>
    /// <code>New-SeedreamImage -Prompt 'A lighthouse at dusk, oil painting' -Size 16:9 -Quality 2K -Wait | Save-SeedreamImage -Path ./out</code>
    /// <para>Generates one 16:9 image, waits for it and saves it.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv ./examples/prompts.csv | New-SeedreamImage | Save-SeedreamImage -Path ./out -FileName '{Name}-{Index}.png'</code>
    /// <para>Submits one task per CSV row (columns Name, Prompt, Size, Quality, Count) and saves every image under the
    /// row's Name. (One row of examples/prompts.csv is deliberately invalid: it is reported and the rest goes on.)</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem ./examples/refs/*.png | New-SeedreamImage -Prompt 'the same product on a marble counter' | Save-SeedreamImage -Path ./out -FileName '{BaseName}-new{Ext}'</code>
    /// <para>Makes one task per reference file and names each result after its file.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv ./examples/prompts.csv | New-SeedreamImage -Model doubao-seedream-4.5 -Quality 2K -WhatIf</code>
    /// <para>Shows what each row would cost with Seedream 4.5 at 2K, and the total, without sending anything (4.5 has no
    /// 1K, so a 1K row would be refused).</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "SeedreamImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SeedreamTask))]
    public sealed class NewSeedreamImageCommand : SeedreamApiCmdletBase
    {
        /// <summary>Create requests in flight by default.</summary>
        public const int DefaultThrottleLimit = BatchOptions.DefaultThrottleLimit;

        private HashSet<string> _commandLine;
        private decimal? _budget;
        private readonly HashSet<string> _warnedColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// <para type="description">Describes the image to generate, or how to edit the reference images. Required, on the
        /// command line or from the pipeline (a string, or a record's Prompt column). Default: the record's Prompt column, or the piped string.</para>
        /// </summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Prompt { get; set; }

        /// <summary>
        /// <para type="description">The model: the gateway's name (doubao-seedream-4.5, seedream-4.5), the other gateway's
        /// name, or the version (4.0, 4.5, 5.0). On ModelArk also an inference endpoint id with the Seedream version behind it
        /// (ep-20251201123456-abcde@5.0), or a Volcengine id (doubao-seedream-4-0-250828); both are sent as given, and the
        /// version's limits and price apply. Default: the gateway's default model (Seedream 4.0).</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string Model { get; set; }

        /// <summary>
        /// <para type="description">auto, an aspect ratio (1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9; 16x9 also
        /// works) or explicit pixels such as 2048x2048 (EvoLink only). Ratios combine with -Quality. Default: the record's Size column, else none is sent and the gateway's own applies.</para>
        /// </summary>
        [Parameter]
        [ValidateSeedreamSize]
        [ArgumentCompleter(typeof(SizeCompleter))]
        public string Size { get; set; }

        /// <summary>
        /// <para type="description">Resolution tier: 1K, 2K, 3K or 4K, as the model allows (4.5 has no 1K; 5.0 has 2K and 3K). Default 2K.</para>
        /// </summary>
        [Parameter]
        [ValidateQuality]
        [ArgumentCompleter(typeof(QualityCompleter))]
        public string Quality { get; set; }

        /// <summary>
        /// <para type="description">Most images to generate, 1 to 15 (default 1). The prompt should ask for several images
        /// too ("generate 3 different images"); the gateways pre-charge for Count and settle on the images made.
        /// Reference images plus Count may be at most 15.</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(int))]
        [Alias("N", "MaxImages")]
        [BlankAsDefault(1)]
        [ValidateRange(ModelCatalog.MinImages, ModelCatalog.MaxImages)]
        public int Count { get; set; } = 1;

        /// <summary>
        /// <para type="description">Reference images: URLs, or local files (paths or Get-ChildItem results) that are checked
        /// (JPEG, PNG, WebP, BMP, TIFF or GIF; at most 10 MB; sides over 14 px; aspect 1/16 to 16; at most 6000x6000)
        /// and uploaded through EvoLink's files API. Up to 14 (10 for seedream-4.0 on LinkModel, which takes URLs only).
        /// One CSV cell may hold several, separated by semicolons. Files piped in are references too, one task per file. Default: none (text to image).</para>
        /// </summary>
        [Parameter]
        [Alias("ImageUrls", "Images", "image_urls")]
        [ReferenceTransformation]
        [ValidateCount(0, ModelCatalog.MaxReferencesAnyModel)]
        [AllowEmptyCollection]
        [AllowEmptyString]
        public string[] ReferenceImage { get; set; }

        /// <summary>
        /// <para type="description">standard (higher quality) or fast, where the model supports it (fast: Seedream 4.0 on EvoLink and ModelArk, where it is sent as optimize_prompt_options.mode). Default: none is sent, so the gateway's own (standard) applies.</para>
        /// </summary>
        [Parameter]
        [ValidatePromptPriority]
        [ArgumentCompleter(typeof(PromptPriorityCompleter))]
        public string PromptPriority { get; set; }

        /// <summary>
        /// <para type="description">An HTTPS URL the gateway posts the finished task to (EvoLink only; public hosts only,
        /// at most 2048 characters). Default: none (no callback).</para>
        /// </summary>
        [Parameter]
        [Alias("CallbackUrl", "callback_url")]
        [ValidateCallbackUri]
        public string CallbackUri { get; set; }

        /// <summary>
        /// <para type="description">Asks ModelArk for images without its watermark (ModelArk adds one by default; the other
        /// gateways document no switch).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter NoWatermark { get; set; }

        /// <summary>
        /// <para type="description">png or jpeg, for Seedream 5.0-lite and 5.0 Pro (EvoLink and ModelArk; their default is
        /// jpeg). Other models answer one format of their own. Saved files are named by the format that arrives ({Ext}).
        /// Refused before sending where the model has no choice (Get-SeedreamModel, OutputFormats).</para>
        /// </summary>
        [Parameter]
        [ValidateSet("png", "jpeg", "jpg", IgnoreCase = true)]
        public string OutputFormat { get; set; }

        /// <summary>
        /// <para type="description">Lets Seedream 5.0-lite search the web for the prompt (ModelArk's tools, EvoLink's
        /// model_params.tools; the model decides whether to search; searching is billed on top of the image, and on ModelArk
        /// the task's WebSearches says how many were made). Refused before sending on other models.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter WebSearch { get; set; }

        /// <summary>
        /// <para type="description">Opaque or Transparent, for Seedream 5.0 Pro (default: opaque). Transparent keeps the
        /// alpha channel of exactly one reference image that already has one; it does not cut a background out, so it is
        /// refused before sending without exactly one reference image, or when a local reference has no transparency.
        /// Refused on other models.</para>
        /// </summary>
        [Parameter]
        [ValidateSet("Opaque", "Transparent", IgnoreCase = true)]
        public string Background { get; set; }

        /// <summary>
        /// <para type="description">Asks for all images in one answer instead of a stream. By default a model that can
        /// stream (Seedream 4.0, 4.5 and 5.0-lite on ModelArk; Get-SeedreamModel, SupportsStreaming) sends each image as
        /// soon as it is made, and each is saved at once while the rest are still being made. Default: off (streamed where
        /// the model supports it).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter NoStream { get; set; }

        /// <summary>
        /// <para type="description">Url or Inline. Url: each image comes as a URL, valid 24 hours, downloaded to save it.
        /// Inline (ModelArk): the image bytes come in the answer and are written straight to their files, with no download
        /// and nothing to expire; but they cannot be fetched again, so an image whose process ended before it was written
        /// is lost (the journal and -Resume say so). Default: Url.</para>
        /// </summary>
        [Parameter]
        public ImageDelivery ImageDelivery { get; set; } = ImageDelivery.Url;

        /// <summary>
        /// <para type="description">Keeps the local reference images uploaded to EvoLink's files API for these tasks (with -Wait). Without
        /// it they are deleted once every task of this command that used them has finished (the files API keeps at most
        /// 100 files; uploads expire after 72 hours anyway).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter KeepUploads { get; set; }

        /// <summary>
        /// <para type="description">Reuses the tasks an earlier run of the same batch already paid for: a record whose
        /// request and input properties match one in the journal gets that task instead of a new one. A request whose
        /// earlier outcome is unknown (the connection dropped after sending) is not sent again.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Resume { get; set; }

        /// <summary>
        /// <para type="description">With -Resume: sends again the requests whose earlier outcome is unknown. They may then be
        /// paid for twice.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter RetryUnknown { get; set; }

        /// <summary>
        /// <para type="description">Waits for the submitted tasks and outputs each one as it finishes.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>
        /// <para type="description">With -Wait: how many seconds to wait at most. Tasks still running then are reported
        /// as errors; they keep running on the gateway. Default: until every task finishes (or the gateway's documented give-up time).</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(int))]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <summary>
        /// <para type="description">Most create requests in flight at once (default 10). Tasks are output in the order
        /// their creation completes, each carrying its input record, so the order may differ from the input.</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(int))]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>
        /// <para type="description">The most this command may spend, in US dollars, by the catalogue's estimated price for
        /// Count images per record (the gateways pre-charge for Count). A record that would take the total past it is not
        /// sent and gets an error that says the budget, what is committed and what the record would cost; the rest of the
        /// batch goes on. Tasks reused with -Resume cost nothing against it. Default: the SEEDREAM_MAX_COST_USD
        /// environment variable, else no budget. With -WhatIf, the summary says whether the batch fits. Text is read in any
        /// culture: '0.05' and '0,05' are five cents; '1,000' is refused as ambiguous.</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(decimal))]
        public decimal MaxCostUsd { get; set; }

        /// <summary>
        /// <para type="description">Under a budget, sends records for models without a published price (Seedream 4.5 on
        /// LinkModel and ModelArk, for example), counting them as nothing. Without it they are refused under a budget.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AllowUnpricedModel { get; set; }

        /// <summary>
        /// <para type="description">The pipeline input: prompt strings, records (Import-Csv rows, objects, hashtables)
        /// whose columns give the request's values, or files to use as reference images. Default: none; -Prompt alone makes one task.</para>
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        public PSObject InputObject { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            // Only command-line parameters are bound yet; they win over what records say.
            _commandLine = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
            try
            {
                _budget = Given(nameof(MaxCostUsd)) ? MaxCostUsd : BatchOptions.ParseBudget(Environment.GetEnvironmentVariable(BatchOptions.MaxCostVariable));
            }
            catch (SeedreamException e)
            {
                ThrowTerminatingError(ErrorFor(e, null));
            }
            if (_budget < 0)
            {
                ThrowTerminatingError(ErrorFor(SeedreamValidationException.For(nameof(MaxCostUsd), MaxCostUsd, "MaxCostUsd must be 0 or more US dollars."), MaxCostUsd));
            }
            StartBatch(new BatchOptions
            {
                MaxCostUsd = _budget,
                AllowUnpriced = AllowUnpricedModel,
                Resume = Resume,
                RetryUnknown = RetryUnknown,
                ThrottleLimit = ThrottleLimit,
                Wait = Wait,
                KeepUploads = KeepUploads,
                WaitTimeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null,
            });
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            object target = (object)InputObject ?? Prompt;
            var record = PipelineRecord.Read(InputObject);
            NoteInput(InputObject, record.IsFile ? null : record.Values);
            WarnAboutColumns(record);
            RecordValues values;
            try
            {
                values = RecordReader.Read(record.Values);
            }
            catch (SeedreamValidationException e)
            {
                Fail(e, target);
                return;
            }
            var request = RecordReader.Merge(CommandLineRequest(), _commandLine, values, ResolveLocalPath);
            if (string.IsNullOrWhiteSpace(request.Prompt))
            {
                Fail(SeedreamValidationException.For("Prompt", null, RecordReader.WhyNoPrompt(record.IsFile ? null : record.Values)), target);
                return;
            }
            WaitForCapacity();
            Batch.Submit(request, ExplicitGateway.HasValue ? null : values.Gateway, record.Context, target, Confirm);
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (Batch?.Budget.PlanSummary() is string summary && IsWhatIf())
            {
                WriteInformation(new HostInformationMessage { Message = "What if: " + summary }, new[] { "PSHOST" });
            }
            FinishBatch();
        }

        /// <inheritdoc />
        protected override void OnBatchEvent(BatchEvent e)
        {
            switch (e.Kind)
            {
                case BatchEventKind.Invalid:
                    Fail(e.Error, e.Target);
                    return;
                case BatchEventKind.Created:
                case BatchEventKind.Reused:
                    // Later cmdlets of the pipeline name the row this task came from in their errors.
                    RecordLabel.SetOrigin(e.Task, LabelOf(e.Target));
                    base.OnBatchEvent(e);
                    if (!Wait) WriteObject(OutputObjects.Task(e.Task));
                    return;
                default:
                    base.OnBatchEvent(e);
                    return;
            }
        }

        private bool Given(string parameter) => _commandLine.Contains(parameter);

        // A column that looks meant for a parameter but is not read (Qualty, Ratio): one warning per column per command.
        private void WarnAboutColumns(PipelineRecord record)
        {
            if (record.Values == null || record.IsFile) return;
            foreach (var similar in RecordReader.SimilarColumns(record.Values.Keys))
            {
                if (!_warnedColumns.Add(similar.Key)) continue;
                WriteWarning("Column '" + similar.Key + "' is not read: it looks meant for " + similar.Value + ", which is read from a column named " +
                    string.Join(" or ", RecordReader.Columns[similar.Value]) + ".");
            }
        }

        private bool Confirm(ValidatedRequest validated)
        {
            if (ShouldProcess(Describe(validated.Source), "Create " + validated.Summary)) return true;
            Batch.Budget.Plan(validated);
            return false;
        }

        private void Fail(Exception e, object target)
        {
            var record = ErrorFor(e, target);
            // A bad command line, or no key at all, stops the command; a bad pipeline record is reported and the batch goes on.
            bool everyRecordFails = e is SeedreamException s && (s.ErrorId == ErrorIds.NotConnected || s.ErrorId == ErrorIds.InvalidConfiguration);
            if (MyInvocation.ExpectingInput && !everyRecordFails) WriteError(record);
            else ThrowTerminatingError(record);
        }

        private bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object value)) return value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value);
            return LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        // The parameters as they are bound; RecordReader.Merge decides which of them win over the record.
        private SeedreamRequest CommandLineRequest() => new SeedreamRequest
        {
            Prompt = Prompt,
            Model = Model,
            Size = Size,
            Quality = Quality,
            Count = Count,
            ReferenceImages = ReferenceImage ?? new string[0],
            PromptPriority = PromptPriority,
            CallbackUrl = CallbackUri,
            Watermark = NoWatermark.IsPresent ? false : (bool?)null,
            OutputFormat = OutputFormat,
            WebSearch = WebSearch.IsPresent,
            Background = Background,
            NoStream = NoStream.IsPresent,
            ImageDelivery = ImageDelivery,
        };

        // Local paths are relative to PowerShell's location, not the process's working folder.
        private string ResolveLocalPath(string entry)
        {
            try
            {
                return SessionState.Path.GetUnresolvedProviderPathFromPSPath(LocalReference.PathOf(entry));
            }
            catch (Exception e) when (e is ItemNotFoundException || e is ProviderNotFoundException || e is DriveNotFoundException || e is NotSupportedException)
            {
                return entry;
            }
        }

        private static string Describe(SeedreamRequest request) => "Prompt '" + Text.Shorten(request.Prompt) + "'";
    }
}
