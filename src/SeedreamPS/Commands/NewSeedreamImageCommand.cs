using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Journal;
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
    /// <para type="description">Parameters bind from the pipeline by property name, so CSV columns named Prompt, Model,
    /// Size, Quality, Count (or N, MaxImages), ReferenceImage (or ImageUrls, Images), PromptPriority and CallbackUri
    /// need no glue code; empty cells mean "use the default". A record that breaks a rule produces a non-terminating
    /// error naming the parameter and the rule, and the rest of the batch goes on.</para>
    /// <para type="description">Submitting costs money: -WhatIf shows, per record and in total, the model, the number
    /// of images and the estimated cost, and sends nothing. With -Wait the cmdlet waits for the tasks and outputs each
    /// one as it finishes.</para>
    /// </summary>
    /// <example>
    /// <code>New-SeedreamImage -Prompt 'A lighthouse at dusk, oil painting' -Size 16:9 -Quality 2K -Wait | Save-SeedreamImage -Path .\out</code>
    /// <para>Generates one 16:9 image, waits for it and saves it.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv .\banners.csv | New-SeedreamImage | Save-SeedreamImage -Path .\out -FileName '{Name}-{Index}.png'</code>
    /// <para>Submits one task per CSV row (columns Name, Prompt, Size, Quality, Count) and saves every image under the
    /// row's Name.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv .\banners.csv | New-SeedreamImage -Model doubao-seedream-4.5 -WhatIf</code>
    /// <para>Shows what each row would cost with Seedream 4.5, and the total, without sending anything.</para>
    /// </example>
    [Cmdlet(VerbsCommon.New, "SeedreamImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SeedreamTask))]
    public sealed class NewSeedreamImageCommand : SeedreamApiCmdletBase
    {
        /// <summary>Create requests in flight by default. The gateways publish no rate limit for creates (ModelArk allows
        /// 500 images a minute); ten at once submits hundreds of rows in seconds while staying far from any limit, and a
        /// 429 is retried safely (a rate-limited create made no task).</summary>
        public const int DefaultThrottleLimit = 10;

        private int _inFlight;
        private bool _promptOnCommandLine;
        private JournalledSubmitter _submitter;
        private int _whatIfImages;
        private decimal _whatIfCost;
        private int _whatIfUnpriced;

        /// <summary>
        /// <para type="description">Describes the image to generate, or how to edit the reference images. Strings from
        /// the pipeline become prompts.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Prompt { get; set; }

        /// <summary>
        /// <para type="description">The model: the gateway's name (doubao-seedream-4.5, seedream-4.5), the other gateway's
        /// name, or the version (4.0, 4.5, 5.0). Default: the gateway's default model (Seedream 4.0).</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string Model { get; set; }

        /// <summary>
        /// <para type="description">auto, an aspect ratio (1:1, 2:3, 3:2, 3:4, 4:3, 4:5, 5:4, 9:16, 16:9, 21:9; 16x9 also
        /// works) or explicit pixels such as 2048x2048 (EvoLink only). Ratios combine with -Quality.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateSeedreamSize]
        [ArgumentCompleter(typeof(SizeCompleter))]
        public string Size { get; set; }

        /// <summary>
        /// <para type="description">Resolution tier: 1K, 2K, 3K or 4K, as the model allows (4.5 has no 1K; 5.0 has 2K and 3K). Default 2K.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateQuality]
        [ArgumentCompleter(typeof(QualityCompleter))]
        public string Quality { get; set; }

        /// <summary>
        /// <para type="description">Most images to generate, 1 to 15 (default 1). The prompt should ask for several images
        /// too ("generate 3 different images"); the gateways pre-charge for Count and settle on the images made.
        /// Reference images plus Count may be at most 15.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("N", "MaxImages")]
        [BlankAsDefault(1)]
        [ValidateRange(ModelCatalog.MinImages, ModelCatalog.MaxImages)]
        public int Count { get; set; } = 1;

        /// <summary>
        /// <para type="description">Reference images: URLs, or local files (paths or Get-ChildItem results) that are checked
        /// (JPEG, PNG, WebP, BMP, TIFF or GIF; at most 10 MB; sides over 14 px; aspect 1/16 to 16; at most 6000x6000)
        /// and uploaded through EvoLink's files API. Up to 14 (10 for seedream-4.0 on LinkModel, which takes URLs only).
        /// One CSV cell may hold several, separated by semicolons. Piped files bind through their FullName.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ImageUrls", "Images", "image_urls", "FullName")]
        [ReferenceTransformation]
        [ValidateCount(0, ModelCatalog.MaxReferencesAnyModel)]
        [AllowEmptyCollection]
        [AllowEmptyString]
        public string[] ReferenceImage { get; set; }

        /// <summary>
        /// <para type="description">standard (higher quality) or fast, where the model supports it (fast: Seedream 4.0 on EvoLink).</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidatePromptPriority]
        public string PromptPriority { get; set; }

        /// <summary>
        /// <para type="description">An HTTPS URL the gateway posts the finished task to (EvoLink only; public hosts only,
        /// at most 2048 characters).</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CallbackUrl", "callback_url")]
        [ValidateCallbackUri]
        public string CallbackUri { get; set; }

        /// <summary>
        /// <para type="description">Asks ModelArk for images without its watermark (ModelArk adds one by default; the other
        /// gateways document no switch).</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SwitchParameter NoWatermark { get; set; }

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
        /// as errors; they keep running on the gateway.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, int.MaxValue)]
        public int TimeoutSec { get; set; }

        /// <summary>
        /// <para type="description">Most create requests in flight at once (default 10). Tasks are output in the order
        /// their creation completes, each carrying its input record, so the order may differ from the input.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>
        /// <para type="description">The whole pipeline record; its properties travel with the task.</para>
        /// </summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject InputObject { get; set; }

        /// <inheritdoc />
        protected override void BeginProcessing()
        {
            // Only command-line parameters are bound yet.
            _promptOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Prompt));
            _submitter = new JournalledSubmitter(ModuleSession.Store.Journal, Resume, RetryUnknown);
            WatchTimeout = TimeoutSec > 0 ? TimeSpan.FromSeconds(TimeoutSec) : (TimeSpan?)null;
            OnTaskFinished = task => Pump.Post(() =>
            {
                if (task.Status != SeedreamTaskStatus.Succeeded) WriteWarning(TaskFailedError(task).Exception.Message);
                WriteObject(task);
            });
        }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            object target = (object)InputObject ?? Prompt;
            if (!_promptOnCommandLine && InputObject != null && !(InputObject.BaseObject is string) && InputObject.Properties["Prompt"] == null)
            {
                // Without a Prompt property the binder turned the whole record into text; that is no prompt.
                Fail(new SeedreamValidationException(new[] { new ValidationProblem("Prompt", null, "The input record has no Prompt property; give each record a Prompt column or pipe prompt strings.") }), target);
                return;
            }
            var request = new SeedreamRequest
            {
                Prompt = Prompt,
                Model = Blank(Model),
                Size = Blank(Size),
                Quality = Blank(Quality),
                Count = Count,
                ReferenceImages = ResolveReferences(ReferenceImage),
                PromptPriority = Blank(PromptPriority),
                CallbackUrl = Blank(CallbackUri),
                Watermark = NoWatermark.IsPresent ? false : (bool?)null,
            };

            Core.Client.SeedreamClient client;
            ValidatedRequest validated;
            try
            {
                client = ClientFor(null);
            }
            catch (Exception e) when (e is InvalidOperationException || e is ArgumentException)
            {
                // No key or a bad connection setting: no record can succeed, so the command stops.
                ThrowTerminatingError(ErrorFor(e, target));
                return;
            }
            try
            {
                validated = client.Validate(request);
            }
            catch (Exception e) when (e is SeedreamValidationException || e is InvalidOperationException || e is ArgumentException)
            {
                Fail(e, target);
                return;
            }

            if (!ShouldProcess(Describe(request), "Create " + validated.Summary))
            {
                _whatIfImages += validated.Count;
                if (validated.EstimatedCostUsd.HasValue) _whatIfCost += validated.EstimatedCostUsd.Value;
                else _whatIfUnpriced++;
                return;
            }

            var context = CaptureContext();
            var key = _submitter.KeyFor(validated, context);
            var plan = _submitter.Plan(key, out var earlier);
            if (plan == SubmitPlan.Hold)
            {
                WriteError(new ErrorRecord(new InvalidOperationException(JournalledSubmitter.HoldMessage(validated)), "SeedreamPS.OutcomeUnknown", ErrorCategory.ResourceExists, target));
                return;
            }
            // Back-pressure: a huge CSV is read only as fast as the gateway takes it.
            PumpWhile(() => Volatile.Read(ref _inFlight) >= ThrottleLimit);
            Interlocked.Increment(ref _inFlight);
            StartWork(async token =>
            {
                try
                {
                    // The journal holds the task before anyone sees it: a crash now loses nothing paid for.
                    var task = plan == SubmitPlan.Reuse
                        ? await _submitter.ReuseAsync(client, earlier, validated, context, token).ConfigureAwait(false)
                        : await _submitter.CreateAsync(client, validated, key, context, token).ConfigureAwait(false);
                    Pump.Post(() =>
                    {
                        WriteVerbose((plan == SubmitPlan.Reuse ? "Reused " : "Created ") + task.Gateway + " task " + task.Id + ": " + validated.Summary);
                        if (Wait) Watch(task);
                        else WriteObject(task);
                    });
                }
                catch (Exception e) when (!(e is OperationCanceledException))
                {
                    // A refused create, an unreadable reference file or an unwritable journal fails this record only.
                    Pump.Post(() => WriteError(ErrorFor(e, target)));
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            });
        }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            if (_whatIfImages > 0 && IsWhatIf())
            {
                string cost = "estimated $" + _whatIfCost.ToString("0.000", CultureInfo.InvariantCulture) + (_whatIfUnpriced > 0 ? " plus " + _whatIfUnpriced + " request(s) without a published price" : string.Empty);
                WriteInformation(new HostInformationMessage { Message = "What if: In total " + _whatIfImages + " image(s), " + cost + "." }, new[] { "PSHOST" });
            }
            // Creates first (they may hand tasks to the watcher), then the waits.
            PumpWhile(() => Volatile.Read(ref _inFlight) > 0);
            FinishWork();
        }

        // Read on the pipeline thread: the record is PowerShell's, and the next one replaces it.
        private Dictionary<string, object> CaptureContext()
        {
            var context = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (InputObject == null || InputObject.BaseObject is string) return context;
            foreach (var property in InputObject.Properties)
            {
                if (!property.IsGettable) continue;
                try
                {
                    context[property.Name] = property.Value;
                }
                catch (GetValueException)
                {
                    // A property that throws when read carries nothing.
                }
            }
            return context;
        }

        private void Fail(Exception e, object target)
        {
            var record = ErrorFor(e, target);
            // A bad command line stops the command; a bad pipeline record is reported and the batch goes on.
            if (MyInvocation.ExpectingInput) WriteError(record);
            else ThrowTerminatingError(record);
        }

        private bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object value)) return value is SwitchParameter s ? s.IsPresent : LanguagePrimitives.IsTrue(value);
            return LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference"));
        }

        // Local paths are relative to PowerShell's location, not the process's working folder.
        private List<string> ResolveReferences(string[] entries)
        {
            var resolved = new List<string>();
            foreach (var entry in RequestValidator.SplitReferences(entries ?? new string[0]))
            {
                if (LocalReference.IsUrl(entry)) resolved.Add(entry);
                else
                {
                    try
                    {
                        resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(LocalReference.PathOf(entry)));
                    }
                    catch (Exception e) when (e is ItemNotFoundException || e is ProviderNotFoundException || e is DriveNotFoundException || e is NotSupportedException)
                    {
                        resolved.Add(entry);
                    }
                }
            }
            return resolved;
        }

        private static string Describe(SeedreamRequest request)
        {
            string prompt = request.Prompt ?? string.Empty;
            return "Prompt '" + (prompt.Length > 60 ? prompt.Substring(0, 57) + "..." : prompt) + "'";
        }

        private static string Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
