using System;
using System.Management.Automation;
using System.Security;
using SeedreamPS.Core.Catalog;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Forgets the session's Seedream connections.</para>
    /// <para type="description">Disconnect-Seedream removes the connection to one gateway, or to all of them, that
    /// Connect-Seedream stored. Environment variables are left alone.</para>
    /// </summary>
    /// <example>
    /// <code>Disconnect-Seedream</code>
    /// <para>Forgets every connection of this session.</para>
    /// </example>
    /// <example>
    /// <code>Disconnect-Seedream -Gateway LinkModel</code>
    /// <para>Forgets only the LinkModel connection.</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Disconnect, "Seedream")]
    public sealed class DisconnectSeedreamCommand : SeedreamCmdletBase
    {
        /// <summary>
        /// <para type="description">The gateway to disconnect from. Default: all of them.</para>
        /// </summary>
        [Parameter(Position = 0)]
        public SeedreamGateway Gateway { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing() =>
            ModuleSession.Store.Disconnect(this.IfGiven(nameof(Gateway), Gateway));
    }
}
