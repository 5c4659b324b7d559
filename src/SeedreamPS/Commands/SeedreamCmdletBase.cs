using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Errors;
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
        // Pipeline input by reference: its label for error messages.
        private readonly ConditionalWeakTable<object, string> _labels = new ConditionalWeakTable<object, string>();
        private int _inputPosition;

        /// <summary>Cancelled by Ctrl+C.</summary>
        protected CancellationToken Cancellation => _stopping.Token;

        /// <summary>Queues output from any thread to the pipeline thread.</summary>
        protected ActionPump Pump => _pump;

        /// <summary>Verbose lines from the HTTP layer, which may come from any thread.</summary>
        protected void Trace(string line)
        {
            // Request and response bodies go to -Debug, the one-line exchanges to -Verbose; the key is redacted in both.
            if (line != null && line.StartsWith(Core.Http.SeedreamConnection.DebugTracePrefix, StringComparison.Ordinal))
            {
                string body = line.Substring(Core.Http.SeedreamConnection.DebugTracePrefix.Length);
                Pump.Post(() => WriteDebug(body));
            }
            else Pump.Post(() => WriteVerbose(line));
        }

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
        /// the error's own id (see about_SeedreamPS), its category the error's own. An error about a pipeline record
        /// names the record in its message (its position and Name, or first column; see <see cref="NoteInput"/>).</summary>
        protected ErrorRecord ErrorFor(Exception exception, object target, string label = null)
        {
            var error = SeedreamException.From(exception);
            var known = (ISeedreamError)error;
            var category = Enum.TryParse(known.Category.ToString(), out ErrorCategory parsed) ? parsed : ErrorCategory.NotSpecified;
            var record = new ErrorRecord(error, ErrorIds.Qualified(known.ErrorId), category, target);
            label = label ?? LabelOf(target);
            if (label != null) record.ErrorDetails = new ErrorDetails(RecordLabel.Prefix(label, error.Message));
            // An Export-SeedreamGallery at the end of this pipeline lists it.
            PipelineFailures.Report(this, record);
            return record;
        }

        /// <summary>Writes the non-terminating error for <paramref name="exception"/> (see <see cref="ErrorFor"/>).</summary>
        internal void WriteErrorFor(Exception exception, object target) => WriteError(ErrorFor(exception, target));

        /// <summary>Remembers one pipeline input object's position and label, so errors about it (or about the task it
        /// is) name it. <paramref name="columns"/> are the record's values where the cmdlet has read them already.</summary>
        /// <returns>The label, or null when the object came from the command line.</returns>
        protected string NoteInput(object input, IEnumerable<KeyValuePair<string, object>> columns = null)
        {
            if (input == null || !MyInvocation.ExpectingInput) return null;
            _inputPosition++;
            object value = input is PSObject wrapped ? wrapped.BaseObject : input;
            if (columns == null && value is PSCustomObject && input is PSObject custom) columns = ColumnsOf(custom);
            string label = RecordLabel.For(_inputPosition, value, columns);
            // Text is not remembered by reference (equal strings may be one object); the caller passes the label on.
            if (!(input is string)) Remember(input, label);
            if (!(value is string) && !ReferenceEquals(value, input)) Remember(value, label);
            return label;
        }

        /// <summary>The label of a pipeline input object or of the task made from one, or null.</summary>
        protected string LabelOf(object target)
        {
            if (target == null) return null;
            if (!(target is string) && _labels.TryGetValue(target, out string label)) return label;
            object value = target is PSObject wrapped ? wrapped.BaseObject : target;
            return value is SeedreamTask task ? RecordLabel.OriginOf(task) : null;
        }

        private void Remember(object key, string label)
        {
            _labels.Remove(key);
            _labels.Add(key, label);
        }

        private static IEnumerable<KeyValuePair<string, object>> ColumnsOf(PSObject record)
        {
            foreach (var property in record.Properties)
            {
                object value;
                try
                {
                    value = property.Value;
                }
                catch (GetValueException)
                {
                    continue;
                }
                yield return new KeyValuePair<string, object>(property.Name, value);
            }
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
