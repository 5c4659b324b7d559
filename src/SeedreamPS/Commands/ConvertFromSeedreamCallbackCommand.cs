using System;
using System.Management.Automation;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Gateways;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Turns the body a gateway posts to a callback URL into a Seedream task.</para>
    /// <para type="description">EvoLink posts the finished task (completed, failed or cancelled) to the -CallbackUri given
    /// to New-SeedreamImage. A webhook receiver passes the request body to ConvertFrom-SeedreamCallback and gets the same
    /// SeedreamTask object the other cmdlets output, so Save-SeedreamImage can save its images. The gateway is
    /// recognised from the body; LinkModel's task body is read too.</para>
    /// </summary>
    /// <example>
    /// <code>$body | ConvertFrom-SeedreamCallback | Save-SeedreamImage -Path ./images</code>
    /// <para>In a webhook receiver: saves the images of the task the gateway reported.</para>
    /// </example>
    /// <example>
    /// <code>Get-Content ./examples/callback.json -Raw | ConvertFrom-SeedreamCallback | Format-List Id, Status, Error</code>
    /// <para>Reads a stored callback body and shows how the task ended.</para>
    /// </example>
    [Cmdlet(VerbsData.ConvertFrom, "SeedreamCallback")]
    [OutputType(typeof(SeedreamTask))]
    public sealed class ConvertFromSeedreamCallbackCommand : SeedreamCmdletBase
    {
        /// <summary>
        /// <para type="description">The callback request body (JSON text).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("Json", "Content")]
        [ValidateNotNullOrEmpty]
        public string Body { get; set; }

        /// <summary>
        /// <para type="description">The gateway that posted it, when the body alone does not say. Default: read from the body's shape.</para>
        /// </summary>
        [Parameter]
        public SeedreamGateway Gateway { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            string label = NoteInput(Body);
            try
            {
                var gateway = this.IfGiven(nameof(Gateway), Gateway);
                WriteObject(CallbackBody.Parse(Body, gateway));
            }
            catch (ArgumentException e)
            {
                WriteError(ErrorFor(new Core.Errors.SeedreamException(Core.Errors.ErrorIds.InvalidCallbackBody, Core.Errors.SeedreamErrorCategory.InvalidData, e.Message, e), Body, label));
            }
        }
    }
}
