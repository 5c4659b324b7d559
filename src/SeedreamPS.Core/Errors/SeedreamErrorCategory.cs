namespace SeedreamPS.Core.Errors
{
    /// <summary>What kind of failure an error is. The names are PowerShell's <c>ErrorCategory</c> names, so the cmdlets
    /// map them by name in one place.</summary>
    public enum SeedreamErrorCategory
    {
        /// <summary>Nothing more specific is known.</summary>
        NotSpecified,

        /// <summary>A value broke a rule; nothing was sent.</summary>
        InvalidArgument,

        /// <summary>No key, or the gateway refused the key.</summary>
        AuthenticationError,

        /// <summary>The balance or a quota ran out.</summary>
        QuotaExceeded,

        /// <summary>The gateway or the file system denied access.</summary>
        PermissionDenied,

        /// <summary>The task or file is unknown.</summary>
        ObjectNotFound,

        /// <summary>A rate limit or a budget was reached.</summary>
        LimitsExceeded,

        /// <summary>No connection could be made or it was lost.</summary>
        ConnectionError,

        /// <summary>An answer could not be read.</summary>
        InvalidData,

        /// <summary>The gateway or image host cannot serve this now (or any more).</summary>
        ResourceUnavailable,

        /// <summary>The operation does not apply here.</summary>
        InvalidOperation,

        /// <summary>A wait ran out.</summary>
        OperationTimeout,

        /// <summary>Something already exists that would be replaced or paid twice.</summary>
        ResourceExists,

        /// <summary>A file could not be written.</summary>
        WriteError,

        /// <summary>A task finished without the result asked for.</summary>
        InvalidResult,

        /// <summary>A setting (environment variable, connection) is wrong.</summary>
        InvalidType,
    }
}
