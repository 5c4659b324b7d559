using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Errors;

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

        /// <summary>The error record for a failure: the one place errors become records. Its id is <c>SeedreamPS.</c> plus
        /// the error's own id (see about_SeedreamPS), its category the error's own.</summary>
        protected static ErrorRecord ErrorFor(Exception exception, object target)
        {
            var error = SeedreamException.From(exception);
            var known = (ISeedreamError)error;
            var category = Enum.TryParse(known.Category.ToString(), out ErrorCategory parsed) ? parsed : ErrorCategory.NotSpecified;
            return new ErrorRecord(error, "SeedreamPS." + known.ErrorId, category, target);
        }

        /// <summary>Runs when PowerShell disposes the command: after its end, and also when the pipeline stopped early (a
        /// terminating error anywhere in it, -ErrorAction Stop, Ctrl+C, break), when no end block runs.</summary>
        protected virtual void OnDisposing()
        {
        }

        /// <summary>Disposes the cancellation source and pump.</summary>
        public void Dispose()
        {
            OnDisposing();
            _stopping.Dispose();
            _pump.Dispose();
            GC.SuppressFinalize(this);
        }
    }
}
