using System;
using System.Management.Automation;
using SeedreamPS.Core.Journal;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Reports images and spend from the journal, grouped by day, gateway, model or any input column.</para>
    /// <para type="description">Get-SeedreamUsage reads the journal of paid tasks and outputs one object per group: tasks,
    /// images asked for (the gateways pre-charge for these), made and saved, and the spend in US dollars. Where the
    /// gateway reported what it charged (LinkModel's price) that figure is used; elsewhere the catalogue's price times the
    /// images asked for; Basis says which (reported, estimated or mixed), and EvoLink's reported credits are shown in
    /// their own unit. Models without a published price are counted in Unpriced. Without -From or -To it reads the live
    /// journal (roughly the last day); with them, or with -IncludeArchives, the dated archives too.</para>
    /// </summary>
    /// <example>
    /// <code>Get-SeedreamUsage -GroupBy Gateway</code>
    /// <para>Spend per gateway for the tasks in the live journal.</para>
    /// </example>
    /// <example>
    /// <code>Get-SeedreamUsage -From (Get-Date).AddDays(-30) -GroupBy Campaign | Sort-Object CostUsd -Descending | Export-Csv usage.csv</code>
    /// <para>Last month's spend per value of the input CSV's Campaign column, most expensive first.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "SeedreamUsage")]
    [OutputType(typeof(SeedreamUsage))]
    public sealed class GetSeedreamUsageCommand : SeedreamCmdletBase
    {
        /// <summary>
        /// <para type="description">Day (the default), Gateway, Model, or the name of a column of the input records (Campaign). Default: Day.</para>
        /// </summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(Validation.UsageGroupCompleter))]
        public string GroupBy { get; set; } = "Day";

        /// <summary>
        /// <para type="description">Only tasks created at or after this time (reads the archives too). Default: no lower bound (the live journal only, unless -To or -IncludeArchives).</para>
        /// </summary>
        [Parameter]
        public DateTime From { get; set; }

        /// <summary>
        /// <para type="description">Only tasks created before this time (reads the archives too). Default: no upper bound.</para>
        /// </summary>
        [Parameter]
        public DateTime To { get; set; }

        /// <summary>
        /// <para type="description">Reads the dated archives beside the journal as well as the live journal.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeArchives { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            var from = this.IfGiven(nameof(From), From);
            var to = this.IfGiven(nameof(To), To);
            var state = ModuleSession.Store.Journal.Load(includeArchives: IncludeArchives || from.HasValue || to.HasValue);
            var rows = UsageReport.Build(state.Tasks, GroupBy,
                from.HasValue ? new DateTimeOffset(from.Value.ToUniversalTime()) : (DateTimeOffset?)null,
                to.HasValue ? new DateTimeOffset(to.Value.ToUniversalTime()) : (DateTimeOffset?)null);
            WriteObject(rows, enumerateCollection: true);
        }
    }
}
