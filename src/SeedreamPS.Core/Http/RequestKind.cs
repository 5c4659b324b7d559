namespace SeedreamPS.Core.Http
{
    /// <summary>What a request does, which decides whether it is safe to send twice.</summary>
    internal enum RequestKind
    {
        /// <summary>Creates a task: costs money, so it is retried only where the gateway cannot have seen it.</summary>
        Create,

        /// <summary>Reads state: always safe to repeat.</summary>
        Query,

        /// <summary>Fetches a result file: safe to repeat, and never carries the API key.</summary>
        Download,
    }
}
