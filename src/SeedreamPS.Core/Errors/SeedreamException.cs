using System;
using System.IO;

namespace SeedreamPS.Core.Errors
{
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
}
