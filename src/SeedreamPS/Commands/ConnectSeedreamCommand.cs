using System;
using System.Management.Automation;
using System.Security;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Session;
using SeedreamPS.Validation;

namespace SeedreamPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Connects the session to a Seedream gateway with an API key.</para>
    /// <para type="description">Connect-Seedream stores, for this PowerShell session, which gateway to use (EvoLink,
    /// LinkModel or BytePlus ModelArk), the API key, and how patiently to talk to it. Every other SeedreamPS cmdlet then uses it, unless
    /// it is given -ApiKey, -Gateway or -BaseUri itself. One connection is kept per gateway; the last one made is
    /// the default.</para>
    /// <para type="description">Without Connect-Seedream, the environment variables SEEDREAM_API_KEY,
    /// SEEDREAM_GATEWAY and SEEDREAM_BASE_URI are read, so a scheduled task needs no interactive step. The key is
    /// never displayed, logged or written to any file.</para>
    /// </summary>
    /// <example>
    /// <code>Connect-Seedream -Gateway EvoLink -ApiKey (Read-Host -AsSecureString 'EvoLink key')</code>
    /// <para>Prompts for the key without echoing it and connects to EvoLink.</para>
    /// </example>
    /// <example>
    /// <code>Connect-Seedream -Gateway LinkModel -ApiKey $env:LINKMODEL_KEY -TimeoutSec 30 -MaxRetryCount 5 -PassThru</code>
    /// <para>Connects to LinkModel with a key from the environment, a 30-second timeout per request and five retries,
    /// and shows the connection (the key appears as ***).</para>
    /// </example>
    /// <example>
    /// <code>Connect-Seedream -Gateway ModelArk -Region cn-beijing -ApiKey $env:ARK_API_KEY</code>
    /// <para>Connects to Volcengine's ModelArk for mainland China; its model ids (doubao-seedream-4-0-250828) are sent as given.</para>
    /// </example>
    /// <example>
    /// <code>Connect-Seedream -Gateway EvoLink -ApiKey 'seedream-simulator-key' -BaseUri "$simulatorUrl/evolink" -FilesBaseUri "$simulatorUrl/evolink-files"</code>
    /// <para>Connects to the local simulator instead of the real gateway, its files API too; $simulatorUrl is the address
    /// the simulator printed when started (dotnet run --project src/SeedreamPS.Simulator -- --urls http://127.0.0.1:0).</para>
    /// </example>
    [Cmdlet(VerbsCommunications.Connect, "Seedream")]
    [OutputType(typeof(SeedreamConnection))]
    public sealed class ConnectSeedreamCommand : SeedreamCmdletBase
    {
        /// <summary>
        /// <para type="description">The gateway: EvoLink, LinkModel or ModelArk. Default: SEEDREAM_GATEWAY, or EvoLink.</para>
        /// </summary>
        [Parameter(Position = 0)]
        public SeedreamGateway Gateway { get; set; }

        /// <summary>
        /// <para type="description">The API key, as a SecureString (Read-Host -AsSecureString) or a plain string.
        /// Default: the SEEDREAM_API_KEY environment variable.</para>
        /// </summary>
        [Parameter(Position = 1)]
        [ApiKeyTransformation]
        [ValidateNotNull]
        public SecureString ApiKey { get; set; }

        /// <summary>
        /// <para type="description">The gateway's API root. Default: the gateway's public address, or SEEDREAM_BASE_URI.
        /// Plain http:// is accepted only for loopback addresses (a local simulator).</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public Uri BaseUri { get; set; }

        /// <summary>
        /// <para type="description">ModelArk's region: ap-southeast (BytePlus, the default), eu-west (BytePlus's EU address,
        /// which does not sell Seedream 4.0) or cn-beijing (Volcengine, for mainland China, whose model ids are
        /// doubao-seedream-…). Tab completes the gateway's regions; another name is refused with the list. It sets the API root and the family of model ids sent:
        /// on cn-beijing every way of naming a model (4.5, doubao-seedream-4.5, seedream-4-5-251128) goes out as
        /// Volcengine's id. With -BaseUri too (a company proxy in front of the region), -BaseUri is the address and the
        /// region still names the ids. Refused on gateways with one address. Default: none (the gateway's public address).</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RegionCompleter))]
        public string Region { get; set; }

        /// <summary>
        /// <para type="description">EvoLink's files API root, where local reference images are uploaded. Default:
        /// https://files-api.evolink.ai, or SEEDREAM_FILES_BASE_URI. With another -BaseUri (a simulator, a proxy) it
        /// must be given, even as https://files-api.evolink.ai: local files are never sent to the public files API for a
        /// gateway elsewhere (the simulator's is {url}/evolink-files). Errors of the files API name its host.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public Uri FilesBaseUri { get; set; }

        /// <summary>
        /// <para type="description">Seconds one HTTP request may take before it is abandoned (default 100; 300 on ModelArk,
        /// which generates while the request waits).</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(int))]
        [ValidateRange(1, 3600)]
        public int TimeoutSec { get; set; }

        /// <summary>
        /// <para type="description">How often a failed status query or download is retried (default 3). Creating a
        /// task is retried only when the gateway cannot have received it, so nothing is paid for twice.</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(int))]
        [ValidateRange(0, 10)]
        public int MaxRetryCount { get; set; }

        /// <summary>
        /// <para type="description">A proxy for every request. Default: the system's proxy settings.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNull]
        public Uri Proxy { get; set; }

        /// <summary>
        /// <para type="description">A fixed interval, in seconds, between status polls instead of the gateway's documented schedule. Default: the gateway's documented poll schedule.</para>
        /// </summary>
        [Parameter]
        [NumberTransformation(typeof(double))]
        [ValidateRange(0.05, 600)]
        public double PollIntervalSec { get; set; }

        /// <summary>
        /// <para type="description">Where the journal of paid tasks and saved files is kept, for this session. Default:
        /// SEEDREAM_JOURNAL_PATH, or SeedreamPS/journal.jsonl in the user's local application data folder.</para>
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string JournalPath { get; set; }

        /// <summary>
        /// <para type="description">Outputs the connection (its key shows as ***).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <inheritdoc />
        protected override void EndProcessing()
        {
            ConnectionSettings settings;
            SeedreamConnection connection;
            try
            {
                settings = new ConnectionSettings
                {
                    Gateway = this.IfGiven(nameof(Gateway), Gateway),
                    ApiKey = ApiKey == null ? null : new SeedreamApiKey(ApiKey),
                    BaseUri = BaseUri,
                    Region = Region,
                    FilesBaseUri = FilesBaseUri,
                    Timeout = this.IfGiven(nameof(TimeoutSec), TimeSpan.FromSeconds(TimeoutSec)),
                    MaxRetryCount = this.IfGiven(nameof(MaxRetryCount), MaxRetryCount),
                    Proxy = Proxy,
                    PollInterval = this.IfGiven(nameof(PollIntervalSec), TimeSpan.FromSeconds(PollIntervalSec)),
                };
                connection = ModuleSession.Store.Create(settings);
            }
            catch (Exception e) when (e is Core.Errors.ISeedreamError || e is ArgumentException)
            {
                ThrowTerminatingError(ErrorFor(e, null));
                return;
            }
            ModuleSession.Store.Connect(connection);
            if (JournalPath != null) ModuleSession.Store.JournalPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath);
            connection.JournalPath = ModuleSession.Store.Journal.Path;
            WriteVerbose("Connected to " + connection.Gateway + " at " + connection.BaseUri + " with a key of " + connection.ApiKey.Hint + ".");
            if (PassThru) WriteObject(connection);
        }
    }
}
