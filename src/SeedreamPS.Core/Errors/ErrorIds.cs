namespace SeedreamPS.Core.Errors
{
    /// <summary>The error ids a script can match, without the <c>SeedreamPS.</c> prefix.</summary>
    public static class ErrorIds
    {
        /// <summary>The id a PowerShell error record carries for <paramref name="id"/>: SeedreamPS.<paramref name="id"/>.</summary>
        public static string Qualified(string id) => "SeedreamPS." + id;

        /// <summary>No API key for the gateway.</summary>
        public const string NotConnected = "NotConnected";

        /// <summary>A SEEDREAM_* variable or connection setting is not valid.</summary>
        public const string InvalidConfiguration = "InvalidConfiguration";

        /// <summary>-Gateway names another gateway than the task's own.</summary>
        public const string GatewayMismatch = "GatewayMismatch";

        /// <summary>An earlier create of this request never got an answer; it was not sent again.</summary>
        public const string OutcomeUnknown = "OutcomeUnknown";

        /// <summary>Prefix: a task failed or was cancelled; the gateway's code follows.</summary>
        public const string TaskFailed = "TaskFailed";

        /// <summary>Prefix: a parameter broke a rule; the parameter's name follows.</summary>
        public const string InvalidParameter = "InvalidParameter";

        /// <summary>Prefix: the gateway or the network failed the call; the gateway's code or HTTP status follows.</summary>
        public const string Api = "Api";

        /// <summary>The record's estimated cost would take the invocation past its budget; it was not sent.</summary>
        public const string BudgetExceeded = "BudgetExceeded";

        /// <summary>Under a budget, a model without a published price was refused (allow it with -AllowUnpricedModel).</summary>
        public const string BudgetUnpriced = "BudgetUnpriced";

        /// <summary>A wait ran out; the task keeps running.</summary>
        public const string Timeout = "Timeout";

        /// <summary>A task succeeded without images.</summary>
        public const string NoImages = "NoImages";

        /// <summary>An image came inline (no URL) and was not written before the process that received it ended: it cannot
        /// be fetched again.</summary>
        public const string InlineImageLost = "InlineImageLost";

        /// <summary>The target file exists.</summary>
        public const string FileExists = "FileExists";

        /// <summary>Two images of the same save would get one file name; the second was not saved.</summary>
        public const string FileNameCollision = "FileNameCollision";

        /// <summary>A warning: a ModelArk endpoint id was given without the Seedream version behind it, so only what no
        /// version accepts was checked and its cost is unknown.</summary>
        public const string EndpointWithoutVersion = "EndpointWithoutVersion";

        /// <summary>A file could not be written (or the journal could not be).</summary>
        public const string FileError = "FileError";

        /// <summary>The file system denied access.</summary>
        public const string AccessDenied = "AccessDenied";

        /// <summary>A value that is not valid where no parameter rule names it.</summary>
        public const string InvalidArgument = "InvalidArgument";

        /// <summary>An image file that has neither a sidecar nor a journal record.</summary>
        public const string UnknownImage = "UnknownImage";

        /// <summary>Pipeline input of a kind the cmdlet does not take.</summary>
        public const string UnsupportedInput = "UnsupportedInput";

        /// <summary>A callback body that is no task of any gateway.</summary>
        public const string InvalidCallbackBody = "InvalidCallbackBody";

        /// <summary>Any other failure.</summary>
        public const string Error = "Error";
    }
}
