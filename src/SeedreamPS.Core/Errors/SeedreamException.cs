using System;
using System.IO;

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

    /// <summary>What every SeedreamPS error carries: an id a script can match (without the <c>SeedreamPS.</c> prefix the
    /// cmdlets add) and a category. Each id is listed in about_SeedreamPS.</summary>
    public interface ISeedreamError
    {
        /// <summary>The error id, for example <c>OutcomeUnknown</c> or <c>TaskFailed.content_policy_violation</c>.</summary>
        string ErrorId { get; }

        /// <summary>The kind of failure.</summary>
        SeedreamErrorCategory Category { get; }
    }

    /// <summary>A SeedreamPS failure that is not a gateway's answer nor a broken request rule (those are
    /// <see cref="Http.SeedreamApiException"/> and <see cref="Requests.SeedreamValidationException"/>).</summary>
    public class SeedreamException : Exception, ISeedreamError
    {
        /// <summary>Creates the error.</summary>
        public SeedreamException(string errorId, SeedreamErrorCategory category, string message, Exception inner = null) : base(message, inner)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            Category = category;
        }

        /// <inheritdoc />
        public string ErrorId { get; }

        /// <inheritdoc />
        public SeedreamErrorCategory Category { get; }

        /// <summary>For a failure that stopped the whole batch (a refused key, no balance, no connection to the API host):
        /// how many records were not sent, which a rerun with -Resume sends. Null for a failure of one record. The error
        /// keeps its cause's id, so a script matches a refused key the same way whether it stopped a batch or not.</summary>
        public int? RecordsNotSent { get; internal set; }

        /// <summary>No key for the gateway, or a session setting that makes every call fail.</summary>
        public static SeedreamException NotConnected(string message) => new SeedreamException(ErrorIds.NotConnected, SeedreamErrorCategory.AuthenticationError, message);

        /// <summary>An environment variable or connection setting that is not valid.</summary>
        public static SeedreamException InvalidConfiguration(string message) => new SeedreamException(ErrorIds.InvalidConfiguration, SeedreamErrorCategory.InvalidType, message);

        /// <summary><paramref name="e"/> as an error with an id and a category: itself where it has them, else wrapped
        /// (file-system failures as file errors, waits as timeouts, bad arguments as invalid arguments).</summary>
        public static Exception From(Exception e)
        {
            if (e is ISeedreamError) return e;
            if (e is IOException || e is UnauthorizedAccessException) return ForFile(e);
            if (e is TimeoutException) return new SeedreamException(ErrorIds.Timeout, SeedreamErrorCategory.OperationTimeout, e.Message, e);
            if (e is ArgumentException) return new SeedreamException(ErrorIds.InvalidArgument, SeedreamErrorCategory.InvalidArgument, e.Message, e);
            return new SeedreamException(ErrorIds.Error, SeedreamErrorCategory.NotSpecified, e.Message, e);
        }

        /// <summary>A file-system failure while saving or journalling, with the file named in the message.</summary>
        public static SeedreamException ForFile(Exception e)
        {
            if (e is SeedreamException known) return known;
            if (e is UnauthorizedAccessException) return new SeedreamException(ErrorIds.AccessDenied, SeedreamErrorCategory.PermissionDenied, e.Message, e);
            if (e is FileExistsException) return new SeedreamException(ErrorIds.FileExists, SeedreamErrorCategory.ResourceExists, e.Message, e);
            return new SeedreamException(ErrorIds.FileError, SeedreamErrorCategory.WriteError, e.Message, e);
        }
    }

    /// <summary>The target file exists and replacing it was not asked for.</summary>
    public sealed class FileExistsException : IOException
    {
        /// <summary>Creates the exception for <paramref name="path"/>.</summary>
        public FileExistsException(string path) : base("The file '" + path + "' already exists; use -Force to replace it, or -NoClobber to keep it.")
        {
            Path = path;
        }

        /// <summary>The file.</summary>
        public string Path { get; }
    }

    /// <summary>The error ids a script can match, without the <c>SeedreamPS.</c> prefix.</summary>
    public static class ErrorIds
    {
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
