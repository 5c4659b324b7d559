namespace SeedreamPS.Core.Storage
{
    /// <summary>The <see cref="Http.SeedreamApiException.ErrorCode"/>s a failed download carries. Written by
    /// <see cref="ImageDownloader"/> and matched elsewhere (the batch marks an expired task, the error's category follows
    /// the code), so each is spelt once, here.</summary>
    public static class DownloadErrorCodes
    {
        /// <summary>The result URL is past its time (the object store says it expired): the task is marked expired.</summary>
        public const string ImageExpired = "image_expired";

        /// <summary>The result URL answers 403, 404 or 410 without saying it expired.</summary>
        public const string ImageUnavailable = "image_unavailable";

        /// <summary>The body broke off before its declared length (retried).</summary>
        public const string TruncatedDownload = "truncated_download";

        /// <summary>The body has no image signature.</summary>
        public const string NotAnImage = "not_an_image";

        /// <summary>The body is larger than the cap (-MaxBytes).</summary>
        public const string TooLarge = "download_too_large";
    }
}
