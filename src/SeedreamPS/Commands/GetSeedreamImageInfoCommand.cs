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
    /// image index, size, quality, times, the input record's columns (as properties too) and the module version. It reads
    /// the sidecar (&lt;file&gt;.json) Save-SeedreamImage -Sidecar wrote beside the image; without one, it looks the file up in
    /// the journal (and its archives). Source says which. A file neither knows is an error.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SeedreamImageInfo -Path .\out\hero-0.png</code>
    /// <para>Shows the prompt, model and task that made one image.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem .\out\*.png | Get-SeedreamImageInfo | Select-Object Path, Prompt, Campaign | Export-Csv provenance.csv</code>
    /// <para>Lists what made every image in a folder.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SeedreamImageInfo", DefaultParameterSetName = ByPathSet)]
    [OutputType(typeof(ImageProvenance))]
    public sealed class GetSeedreamImageInfoCommand : SeedreamCmdletBase
    {
        private const string ByPathSet = "ByPath";
        private const string ByInputSet = "ByInput";

        // The journal's history, read once for all the files of this command that have no sidecar.
        private readonly System.Lazy<Core.Journal.JournalState> _history = new System.Lazy<Core.Journal.JournalState>(() => ModuleSession.Store.Journal.Load(includeArchives: true));

        /// <summary>
        /// <para type="description">Image files (wildcards allowed).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByPathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Path { get; set; }

        /// <summary>
        /// <para type="description">Files from the pipeline (Get-ChildItem, Save-SeedreamImage) or paths as text.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ByInputSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public PSObject InputObject { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByInputSet)
            {
                NoteInput(InputObject);
                object value = InputObject.BaseObject;
                if (value is FileSystemInfo file) Read(file.FullName, InputObject);
                else Resolve(value?.ToString(), InputObject);
                return;
            }
            foreach (var path in Path) Resolve(path, path);
        }

        private void Resolve(string path, object target)
        {
            IEnumerable<string> files;
            try
            {
                files = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _);
            }
            catch (ItemNotFoundException e)
            {
                WriteError(ErrorFor(new SeedreamException(ErrorIds.FileError, SeedreamErrorCategory.ObjectNotFound, e.Message, e), target));
                return;
            }
            foreach (var file in files) Read(file, target);
        }

        private void Read(string file, object target)
        {
            var info = ImageProvenance.Read(file, _history);
            if (info == null)
            {
                WriteError(ErrorFor(new SeedreamException(ErrorIds.UnknownImage, SeedreamErrorCategory.ObjectNotFound,
                    "Nothing is known of '" + file + "': it has no sidecar (" + System.IO.Path.GetFileName(ImageProvenance.SidecarPath(file)) +
                    ") and the journal has no record of saving it."), target));
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
