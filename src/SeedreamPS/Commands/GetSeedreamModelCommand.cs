using System.Linq;
using System.Management.Automation;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the Seedream models each gateway sells, with their limits and prices.</para>
    /// <para type="description">Get-SeedreamModel shows the catalogue SeedreamPS validates against: for each gateway and
    /// model, the quality tiers, size ratios, explicit pixel range, the most images and reference images per request,
    /// prompt priorities, and the estimated price per image. It needs no connection.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SeedreamModel</code>
    /// <para>Lists every model of every gateway.</para>
    /// </example>
    /// <example>
    /// <code>Get-SeedreamModel -Gateway EvoLink -Name *4.5* | Format-List *</code>
    /// <para>Shows every limit of Seedream 4.5 on EvoLink.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SeedreamModel")]
    [OutputType(typeof(ModelInfo))]
    public sealed class GetSeedreamModelCommand : PSCmdlet
    {
        /// <summary>
        /// <para type="description">Only this gateway's models. Default: every gateway.</para>
        /// </summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public SeedreamGateway[] Gateway { get; set; }

        /// <summary>
        /// <para type="description">Only models whose name or version matches (wildcards allowed), for example *4.5* or 5.0. Default: every model.</para>
        /// </summary>
        [Parameter(Position = 1)]
        [SupportsWildcards]
        [Alias("Model")]
        [ArgumentCompleter(typeof(Validation.ModelCompleter))]
        public string[] Name { get; set; }

        /// <inheritdoc />
        protected override void ProcessRecord()
        {
            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            foreach (var model in ModelCatalog.Models)
            {
                if (Gateway != null && !Gateway.Contains(model.Gateway)) continue;
                if (!patterns.Any(p => p.IsMatch(model.Id) || p.IsMatch(model.Version))) continue;
                WriteObject(model);
            }
        }
    }
}
