using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Http;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Journal
{
    /// <summary>What to do with one request of a batch.</summary>
    public enum SubmitPlan
    {
        /// <summary>Send it: nothing was paid for it yet.</summary>
        Create,

        /// <summary>Use the task an earlier run already paid for.</summary>
        Reuse,

        /// <summary>Do not send it: an earlier attempt may have made a task nobody heard of.</summary>
        Hold,
    }

    /// <summary>Creates tasks so that nothing paid for is forgotten: each create is journalled before it is sent and
    /// again, with its task, before anyone sees the task. With resume, a re-run of the same batch reuses the tasks it
    /// already paid for and never resends a request whose first outcome is unknown (unless told to).</summary>
    public sealed class JournalledSubmitter
    {
        private readonly Dictionary<string, int> _occurrences = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly JournalState _state;

        /// <summary>Creates a submitter writing to <paramref name="journal"/>.</summary>
        /// <param name="journal">Where paid tasks are recorded.</param>
        /// <param name="resume">Reuse tasks of earlier runs for identical requests from identical records.</param>
        /// <param name="retryUnknown">With resume: send again requests whose earlier outcome is unknown (may pay twice).</param>
        public JournalledSubmitter(TaskJournal journal, bool resume, bool retryUnknown = false)
        {
            Journal = journal ?? throw new ArgumentNullException(nameof(journal));
            Resume = resume;
            RetryUnknown = retryUnknown;
            _state = resume ? journal.Load() : new JournalState();
        }

        /// <summary>The journal.</summary>
        public TaskJournal Journal { get; }

        /// <summary>Whether earlier tasks are reused.</summary>
        public bool Resume { get; }

        /// <summary>Whether unknown outcomes are sent again.</summary>
        public bool RetryUnknown { get; }

        /// <summary>The key of the next request, counting repeats of the same request and record in this run.
        /// Call in input order, from one thread.</summary>
        public JournalKey KeyFor(ValidatedRequest request, IDictionary<string, object> context)
        {
            string fingerprint = RequestFingerprint.Of(request);
            string record = RequestFingerprint.OfContext(context);
            string pair = fingerprint + "|" + record;
            _occurrences.TryGetValue(pair, out int seen);
            _occurrences[pair] = seen + 1;
            return new JournalKey(fingerprint, record, seen);
        }

        /// <summary>Whether to create, reuse or hold the request with <paramref name="key"/>.</summary>
        public SubmitPlan Plan(JournalKey key, out JournalTask earlier)
        {
            earlier = null;
            if (!Resume) return SubmitPlan.Create;
            switch (_state.StatusOf(key, out earlier))
            {
                case AttemptStatus.Created:
                    return earlier != null && !earlier.IsExpired ? SubmitPlan.Reuse : SubmitPlan.Create;
                case AttemptStatus.Unknown:
                    return RetryUnknown ? SubmitPlan.Create : SubmitPlan.Hold;
                default:
                    return SubmitPlan.Create;
            }
        }

        /// <summary>The message for a held request.</summary>
        public static string HoldMessage(ValidatedRequest request) =>
            "An earlier run sent this request and never heard back, so a task may exist that cannot be found (prompt '" +
            Shorten(request.Prompt) + "'). It was not sent again, so it is not paid for twice; use -RetryUnknown to send it anyway.";

        /// <summary>Creates the task, journalling the attempt before sending and the task before returning it.</summary>
        public async Task<SeedreamTask> CreateAsync(SeedreamClient client, ValidatedRequest request, JournalKey key, IDictionary<string, object> context, CancellationToken cancellation)
        {
            Journal.RecordAttempt(key, request.Gateway, request.Model.Id);
            SeedreamTask task;
            try
            {
                task = await client.CreateTaskAsync(request, cancellation).ConfigureAwait(false);
            }
            catch (SeedreamApiException e)
            {
                if (e.OutcomeUnknown) Journal.RecordUnknown(key, e.Message);
                else Journal.RecordRefused(key, e.Message);
                throw;
            }
            catch (OperationCanceledException)
            {
                Journal.RecordUnknown(key, "cancelled while the request was under way");
                throw;
            }
            foreach (var pair in context ?? new Dictionary<string, object>()) task.Context[pair.Key] = pair.Value;
            Journal.RecordCreated(key, task);
            return task;
        }

        /// <summary>The current state of a task an earlier run paid for, carrying this run's record.</summary>
        public async Task<SeedreamTask> ReuseAsync(SeedreamClient client, JournalTask earlier, ValidatedRequest request, IDictionary<string, object> context, CancellationToken cancellation)
        {
            SeedreamTask task = earlier.ToTask();
            // A synchronous gateway's task is complete in the journal; others are asked for their state now.
            if (earlier.Gateway != SeedreamGateway.ModelArk) await client.RefreshAsync(task, cancellation).ConfigureAwait(false);
            task.Request = request.Source;
            foreach (var pair in context ?? new Dictionary<string, object>()) task.Context[pair.Key] = pair.Value;
            return task;
        }

        private static string Shorten(string text) => text == null ? "" : text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
