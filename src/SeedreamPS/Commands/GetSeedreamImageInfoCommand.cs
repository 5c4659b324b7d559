using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Storage;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Tells what made a saved Seedream image.</para>
    /// <para type="description">Get-SeedreamImageInfo reads what made an image file: the prompt, model, gateway, task id,
    /// image index, size, quality, times, the input record's columns (as properties too), the module version and the
    /// IPTC digital source type. It reads the XMP packet Save-SeedreamImage embeds in each PNG and JPEG first, so a file
    /// that was moved, renamed or copied to another machine still says what made it; what the packet leaves out (the
    /// prompt unless -EmbedPrompt, size, quality) comes from the sidecar or journal where they know the file. Files
    /// without a packet (saved before it existed, or with -NoEmbeddedMetadata) are read from the sidecar
    /// (&lt;file&gt;.json) Save-SeedreamImage -Sidecar wrote beside the image, or else looked up in the journal (and its
    /// archives). Source says which: embedded, sidecar or journal. A file none of them knows is an error.</para>
    /// </summary>
    /// <example>
    /// <code>Import-Csv ./examples/prompts.csv | New-SeedreamImage | Save-SeedreamImage -Path ./out -FileName '{Name}-{Index}.png'
    /// Get-SeedreamImageInfo -Path ./out/spring-sale-0.png</code>
    /// <para>Saves a batch (one row of examples/prompts.csv is deliberately invalid and is reported), then shows the prompt,
    /// model and task that made one of its images.</para>
    /// </example>
    /// <example>
    /// <code>New-SeedreamImage 'A spring sale banner' -Wait | Save-SeedreamImage -Path ./out -FileName '[Spring] Sale-{Index}{Ext}'
    /// Get-SeedreamImageInfo -LiteralPath './out/[Spring] Sale-0.png'</code>
    /// <para>Reads a file whose name has brackets, which -Path would take as a wildcard pattern.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem ./out/*.png | Get-SeedreamImageInfo | Select-Object Path, Prompt, Size | Export-Csv provenance.csv</code>
    /// <para>Lists what made every image in a folder.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SeedreamImageInfo", DefaultParameterSetName = ByPathSet)]
    [OutputType(typeof(ImageProvenance))]
    public sealed class GetSeedreamImageInfoCommand : SeedreamCmdletBase
    {
        private const string ByPathSet = "ByPath";
        private const string ByLiteralPathSet = "ByLiteralPath";

        // The journal's history, read once for all the files of this command that have no sidecar.
        private readonly System.Lazy<Core.Journal.JournalState> _history = new System.Lazy<Core.Journal.JournalState>(() => ModuleSession.Store.Journal.Load(includeArchives: true));

        /// <summary>
        /// <para type="description">Image files; wildcards are expanded, and a path that matches nothing is an error.
        /// Paths piped as text bind here. A name with brackets ([Spring] Sale-0.png) is a wildcard pattern here: use
        /// -LiteralPath for it. No default.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByPathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>
        /// <para type="description">Image files, taken exactly as written (no wildcards), so names with brackets work.
        /// Files piped from Get-ChildItem, Get-Item or Save-SeedreamImage bind here by their PSPath. No default.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ByLiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            bool literal = ParameterSetName == ByLiteralPathSet;
            foreach (var path in literal ? LiteralPath : Path)
            {
                // Named by the file's name, not its provider path (PSPath) or full path, which the message gives.
                string shown = path.IndexOf("::", StringComparison.Ordinal) is int at && at >= 0 ? path.Substring(at + 2) : path;
                string name = System.IO.Path.GetFileName(shown.TrimEnd('/', '\\'));
                string label = NoteInput(string.IsNullOrEmpty(name) ? shown : name);
                if (literal) ResolveLiteral(path, label);
                else Resolve(path, label);
            }
        }

        private void Resolve(string path, string label)
        {
            List<string> files;
            try
            {
                files = new List<string>(SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _));
            }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException)
            {
                WriteError(ErrorFor(NotFound(path, e), path, label));
                return;
            }
            // A wildcard that matches nothing is an error, as in Get-Item: a batch that saved nothing is not silent.
            if (files.Count == 0)
            {
                WriteError(ErrorFor(NotFound(path, null), path, label));
                return;
            }
            foreach (var file in files) Read(file, path, label);
        }

        private void ResolveLiteral(string path, string label)
        {
            string file;
            try
            {
                file = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            }
            catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException || e is NotSupportedException)
            {
                WriteError(ErrorFor(NotFound(path, e), path, label));
                return;
            }
            if (!File.Exists(file))
            {
                WriteError(ErrorFor(NotFound(path, null), path, label));
                return;
            }
            Read(file, path, label);
        }

        private static SeedreamException NotFound(string path, Exception inner) =>
            new SeedreamException(ErrorIds.FileError, SeedreamErrorCategory.ObjectNotFound, "Cannot find path '" + path + "' because it does not exist.", inner);

        private void Read(string file, object target, string label)
        {
            var info = ImageProvenance.Read(file, _history);
            if (info == null)
            {
                WriteError(ErrorFor(new SeedreamException(ErrorIds.UnknownImage, SeedreamErrorCategory.ObjectNotFound,
                    "Nothing is known of '" + file + "': it has no embedded SeedreamPS metadata, no sidecar (" + System.IO.Path.GetFileName(ImageProvenance.SidecarPath(file)) +
                    ") and the journal has no record of saving it."), target, label));
                return;
            }
            var output = PSObject.AsPSObject(info);
            foreach (var pair in info.Columns)
            {
                if (output.Properties[pair.Key] == null) output.Properties.Add(new PSNoteProperty(pair.Key, pair.Value));
            }
            WriteObject(output);
        }
    }
}
