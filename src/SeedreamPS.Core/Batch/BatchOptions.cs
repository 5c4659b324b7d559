using System;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Journal;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Storage;

namespace SeedreamPS.Core.Batch
{
    /// <summary>How an <see cref="ImageBatch"/> works.</summary>
    public sealed class BatchOptions
    {
        /// <summary>Where paid tasks and saved files are recorded (required: nothing paid for may be forgotten).</summary>
        public TaskJournal Journal { get; set; }

        /// <summary>The clients, one per gateway.</summary>
        public ClientSet Clients { get; set; }

        /// <summary>Reuse tasks of earlier runs for identical requests from identical records.</summary>
        public bool Resume { get; set; }

        /// <summary>With <see cref="Resume"/>: send again requests whose earlier outcome is unknown (may pay twice).</summary>
        public bool RetryUnknown { get; set; }

        /// <summary>Most create requests in flight at once.</summary>
        public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

        /// <summary>The default: the gateways publish no rate limit for creates (ModelArk allows 500 images a minute); ten
        /// at once submits hundreds of rows in seconds while staying far from any limit, and a 429 is retried safely.</summary>
        public const int DefaultThrottleLimit = 10;

        /// <summary>Watch created and added tasks until they finish (implied by <see cref="Save"/>).</summary>
        public bool Wait { get; set; }

        /// <summary>Save the images of finished tasks by these rules; null saves nothing.</summary>
        public SaveOptions Save { get; set; }

        /// <summary>How long each task may be watched; null waits until it finishes.</summary>
        public TimeSpan? WaitTimeout { get; set; }

        /// <summary>The most this batch may spend, in US dollars, by the catalogue's estimate for Count images per request
        /// (the gateways pre-charge for Count); null for no budget. Reused tasks cost nothing against it.</summary>
        public decimal? MaxCostUsd { get; set; }

        /// <summary>Under a budget, send requests for models without a published price (they count as nothing).</summary>
        public bool AllowUnpriced { get; set; }

        /// <summary>Keep the reference images uploaded for the batch's tasks (EvoLink's files API) instead of deleting them
        /// once every task of the batch that used them has finished.</summary>
        public bool KeepUploads { get; set; }

        /// <summary>How long creates already sent may take to answer once the batch stops (see <see cref="ImageBatch.StopGrace"/>,
        /// the default).</summary>
        public TimeSpan StopGrace { get; set; } = ImageBatch.StopGrace;

        /// <summary>Environment variable that sets a budget for scheduled jobs (US dollars, invariant culture: 12.50).</summary>
        public const string MaxCostVariable = "SEEDREAM_MAX_COST_USD";

        /// <summary>The budget <paramref name="text"/> (the variable's value) gives: null when blank.</summary>
        /// <exception cref="SeedreamException">Not a non-negative amount.</exception>
        public static decimal? ParseBudget(string text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            // The same parser as -MaxCostUsd: "0,05" is five cents, never 5 dollars; "1,000" is refused as ambiguous.
            try
            {
                decimal? value = NumberText.ParseDecimal(text, MaxCostVariable);
                if (value >= 0) return value;
            }
            catch (FormatException e)
            {
                throw SeedreamException.InvalidConfiguration("The " + MaxCostVariable + " environment variable says '" + text + "', which is not an amount in US dollars such as 12.50: " + e.Message);
            }
            throw SeedreamException.InvalidConfiguration("The " + MaxCostVariable + " environment variable says '" + text + "', which is not an amount in US dollars such as 12.50.");
        }
    }
}
