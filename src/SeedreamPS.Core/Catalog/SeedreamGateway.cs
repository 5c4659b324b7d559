namespace SeedreamPS.Core.Catalog
{
    /// <summary>The services that sell Seedream image generation and that SeedreamPS can talk to.</summary>
    public enum SeedreamGateway
    {
        /// <summary>EvoLink (api.evolink.ai): asynchronous tasks, <c>doubao-seedream-*</c> model names.</summary>
        EvoLink,

        /// <summary>LinkModel (api.linkmodel.ai): asynchronous tasks in a <c>{code, data, msg}</c> envelope.</summary>
        LinkModel,

        /// <summary>BytePlus ModelArk, the official API: synchronous, the answer holds the images.</summary>
        ModelArk,
    }
}
