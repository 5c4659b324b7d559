namespace SeedreamPS.Core.Batch
{
    /// <summary>What <see cref="ImageBatch.Submit"/> did with an item, at once.</summary>
    public enum SubmitOutcome
    {
        /// <summary>It is being created or reused; events follow.</summary>
        Accepted,

        /// <summary>It broke a rule or no connection serves it (an <see cref="BatchEventKind.Invalid"/> event was raised).</summary>
        Invalid,

        /// <summary>The confirmation callback declined it (-WhatIf): nothing was sent.</summary>
        Declined,

        /// <summary>Held: an earlier create never got an answer (a <see cref="BatchEventKind.Held"/> event was raised).</summary>
        Held,

        /// <summary>Past the budget, or an unpriced model under one: not sent (a <see cref="BatchEventKind.Refused"/> event was raised).</summary>
        OverBudget,

        /// <summary>Not sent: the batch was stopped, or failed as a whole (see <see cref="ImageBatch.BatchFailure"/>).</summary>
        NotSent,
    }
}
