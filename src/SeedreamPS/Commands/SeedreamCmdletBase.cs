using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Commands
{
    /// <summary>What every SeedreamPS cmdlet shares: Ctrl+C cancels a token every request honours, and background
    /// work hands its output back to the pipeline thread through an <see cref="ActionPump"/>.</summary>
    public abstract class SeedreamCmdletBase : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        // Made with the cmdlet, on the pipeline thread: the pump remembers that thread as the one allowed to write.
        private readonly ActionPump _pump = new ActionPump();

        /// <summary>Cancelled by Ctrl+C.</summary>
        protected CancellationToken Cancellation => _stopping.Token;

        /// <summary>Queues output from any thread to the pipeline thread.</summary>
        protected ActionPump Pump => _pump;

        /// <summary>Verbose lines from the HTTP layer, which may come from any thread.</summary>
        protected void Trace(string line) => Pump.Post(() => WriteVerbose(line));

        /// <summary>Runs async work on the thread pool while this thread writes what it posts.</summary>
        protected T RunAsync<T>(Func<CancellationToken, Task<T>> work) => StopOnCancel(() => Pump.Run(work, Cancellation));

        /// <summary>Runs async work that returns nothing.</summary>
        protected void RunAsync(Func<CancellationToken, Task> work) => StopOnCancel(() => Pump.Run(work, Cancellation));

        /// <summary>Runs posted output on the pipeline thread while <paramref name="condition"/> holds.</summary>
        protected void PumpWhile(Func<bool> condition) => StopOnCancel(() => Pump.PumpWhile(condition, Cancellation));

        // Ctrl+C cancels the token; PowerShell expects the pipeline to stop with PipelineStoppedException.
        private T StopOnCancel<T>(Func<T> run)
        {
            try
            {
                return run();
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        private void StopOnCancel(Action run) => StopOnCancel(() =>
        {
            run();
            return true;
        });

        /// <inheritdoc />
        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>An error record for a failure, with a category and id a script can match on.</summary>
        protected static ErrorRecord ErrorFor(Exception exception, object target)
        {
            switch (exception)
            {
                case SeedreamValidationException validation:
                    return new ErrorRecord(validation, "SeedreamPS.InvalidParameter." + validation.ParamName, ErrorCategory.InvalidArgument, target);
                case SeedreamApiException api:
                    return new ErrorRecord(api, "SeedreamPS.Api." + (api.ErrorCode ?? api.HttpStatus?.ToString(CultureInfo.InvariantCulture) ?? "ConnectionFailed"), CategoryOf(api), target);
                case TimeoutException timeout:
                    return new ErrorRecord(timeout, "SeedreamPS.Timeout", ErrorCategory.OperationTimeout, target);
                case IOException io:
                    return new ErrorRecord(io, "SeedreamPS.FileError", File.Exists((target as SeedreamImage)?.Path ?? string.Empty) ? ErrorCategory.ResourceExists : ErrorCategory.WriteError, target);
                case ArgumentException argument:
                    return new ErrorRecord(argument, "SeedreamPS.InvalidArgument", ErrorCategory.InvalidArgument, target);
                case InvalidOperationException invalid:
                    return new ErrorRecord(invalid, "SeedreamPS.NotConnected", ErrorCategory.AuthenticationError, target);
                case UnauthorizedAccessException denied:
                    return new ErrorRecord(denied, "SeedreamPS.AccessDenied", ErrorCategory.PermissionDenied, target);
                default:
                    return new ErrorRecord(exception, "SeedreamPS.Error", ErrorCategory.NotSpecified, target);
            }
        }

        /// <summary>The error for a task that finished without images.</summary>
        protected static ErrorRecord TaskFailedError(SeedreamTask task)
        {
            return new ErrorRecord(new InvalidOperationException(Core.Storage.ImageSaver.TaskFailureMessage(task)), "SeedreamPS.TaskFailed." + (task.Error?.Code ?? "unknown"), ErrorCategory.InvalidResult, task);
        }

        private static ErrorCategory CategoryOf(SeedreamApiException e)
        {
            switch (e.HttpStatus)
            {
                case 400: return ErrorCategory.InvalidArgument;
                case 401: return ErrorCategory.AuthenticationError;
                case 402: return ErrorCategory.QuotaExceeded;
                case 403: return e.ErrorCode == "image_unavailable" || e.ErrorCode == "image_expired" ? ErrorCategory.ResourceUnavailable : ErrorCategory.PermissionDenied;
                case 404: return ErrorCategory.ObjectNotFound;
                case 429: return ErrorCategory.LimitsExceeded;
                case null: return e.ErrorCode == null ? ErrorCategory.ConnectionError : ErrorCategory.InvalidData;
                default: return e.HttpStatus >= 500 ? ErrorCategory.ResourceUnavailable : ErrorCategory.InvalidOperation;
            }
        }

        /// <summary>Disposes the cancellation source and pump.</summary>
        public void Dispose()
        {
            _stopping.Dispose();
            _pump.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
