using System;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Http;

namespace SeedreamPS.Core.Session
{
    /// <summary>Connection values given explicitly (cmdlet parameters); null means "not given".</summary>
    public sealed class ConnectionSettings
    {
        /// <summary>The gateway.</summary>
        public SeedreamGateway? Gateway { get; set; }

        /// <summary>The API key.</summary>
        public SeedreamApiKey ApiKey { get; set; }

        /// <summary>The API root.</summary>
        public Uri BaseUri { get; set; }

        /// <summary>The gateway's region (ModelArk: ap-southeast, cn-beijing): the API root unless <see cref="BaseUri"/> is
        /// given too, and the family of model ids sent.</summary>
        public string Region { get; set; }

        /// <summary>The files API root, for local reference images (EvoLink's).</summary>
        public Uri FilesBaseUri { get; set; }

        /// <summary>Per-request timeout.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Retries for queries and downloads.</summary>
        public int? MaxRetryCount { get; set; }

        /// <summary>Fixed interval between status polls.</summary>
        public TimeSpan? PollInterval { get; set; }

        /// <summary>Proxy for every request.</summary>
        public Uri Proxy { get; set; }
    }
}
