namespace SeedreamPS.Core.Gateways
{
    /// <summary>How local reference images reach a gateway.</summary>
    public enum ReferenceTransport
    {
        /// <summary>Uploaded through the gateway's files API; the request carries the uploaded file's URL.</summary>
        Upload,

        /// <summary>Inlined in the request as <c>data:</c> URLs.</summary>
        Inline,

        /// <summary>The gateway takes URLs only.</summary>
        UrlsOnly,
    }
}
