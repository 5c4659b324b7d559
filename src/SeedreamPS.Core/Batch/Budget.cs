using System.Globalization;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Requests;

namespace SeedreamPS.Core.Batch
{
    /// <summary>What one invocation may spend, by the catalogue's estimate for Count images per request (the gateways
    /// pre-charge for Count). The one place the budget's rules live: <see cref="ImageBatch"/> commits each request
    /// against it before sending, and New-SeedreamImage -WhatIf tallies what would be sent and states the same rules in
    /// its summary. Thread-safe.</summary>
    public sealed class Budget
    {
        private readonly object _gate = new object();
        private decimal _committedUsd;
        private int _plannedImages;
        private decimal _plannedUsd;
        private int _plannedUnpriced;

        /// <summary>A budget of <paramref name="limitUsd"/> US dollars (null: none).</summary>
        /// <param name="limitUsd">The most that may be spent; null for no budget.</param>
        /// <param name="allowUnpriced">Send requests for models without a published price (they count as nothing).</param>
        public Budget(decimal? limitUsd, bool allowUnpriced)
        {
            LimitUsd = limitUsd;
            AllowUnpriced = allowUnpriced;
        }

        /// <summary>The most that may be spent, in US dollars; null for no budget.</summary>
        public decimal? LimitUsd { get; }

        /// <summary>Whether requests for models without a published price may be sent under a budget.</summary>
        public bool AllowUnpriced { get; }

        /// <summary>Commits <paramref name="costUsd"/> for <paramref name="request"/> when it fits what is left; otherwise
        /// commits nothing and returns why it was not sent. Always fits without a budget.</summary>
        /// <param name="request">The checked request (its model and summary name it in the refusal).</param>
        /// <param name="costUsd">What it counts for: its estimate, or nothing for a reused task or an unpriced model.</param>
        /// <returns>Null when committed; else the BudgetUnpriced or BudgetExceeded error.</returns>
        public SeedreamException TryCommit(ValidatedRequest request, decimal costUsd)
        {
            if (!(LimitUsd is decimal limit)) return null;
            lock (_gate)
            {
                if (!request.EstimatedCostUsd.HasValue && !AllowUnpriced)
                {
                    return new SeedreamException(ErrorIds.BudgetUnpriced, SeedreamErrorCategory.LimitsExceeded, string.Format(CultureInfo.InvariantCulture,
                        "{0} has no published price, so it cannot be counted against the budget of ${1:0.000}; it was not sent. Use -AllowUnpricedModel to send it anyway.",
                        request.Model.Id, limit));
                }
                if (_committedUsd + costUsd > limit)
                {
                    return new SeedreamException(ErrorIds.BudgetExceeded, SeedreamErrorCategory.LimitsExceeded, string.Format(CultureInfo.InvariantCulture,
                        "The budget is ${0:0.000} and ${1:0.000} is committed; this record would cost ${2:0.000} ({3}), so it was not sent.",
                        limit, _committedUsd, costUsd, request.Summary));
                }
                _committedUsd += costUsd;
                return null;
            }
        }

        /// <summary>Gives back what a request committed when it made nothing (the gateway refused the create).</summary>
        public void Release(decimal costUsd)
        {
            if (!LimitUsd.HasValue || costUsd <= 0) return;
            lock (_gate) _committedUsd -= costUsd;
        }

        /// <summary>-WhatIf: counts <paramref name="request"/> as one that would be sent, without committing anything.</summary>
        public void Plan(ValidatedRequest request)
        {
            lock (_gate)
            {
                _plannedImages += request.Count;
                if (request.EstimatedCostUsd.HasValue) _plannedUsd += request.EstimatedCostUsd.Value;
                else _plannedUnpriced++;
            }
        }

        /// <summary>-WhatIf's summary of what <see cref="Plan"/> counted: the images, the estimated cost and whether it fits
        /// the budget; null when nothing was counted.</summary>
        public string PlanSummary()
        {
            int images, unpriced;
            decimal cost;
            lock (_gate)
            {
                images = _plannedImages;
                unpriced = _plannedUnpriced;
                cost = _plannedUsd;
            }
            if (images == 0) return null;
            string estimate = "estimated $" + cost.ToString("0.000", CultureInfo.InvariantCulture) + (unpriced > 0 ? " plus " + unpriced + " request(s) without a published price" : string.Empty);
            return "In total " + images + " image(s), " + estimate + "." + Verdict(cost, unpriced);
        }

        // The rules TryCommit applies, said of the whole plan at once.
        private string Verdict(decimal cost, int unpriced)
        {
            if (!(LimitUsd is decimal limit)) return string.Empty;
            string amount = "$" + limit.ToString("0.000", CultureInfo.InvariantCulture);
            if (unpriced > 0 && !AllowUnpriced)
            {
                return " The " + unpriced + " request(s) without a published price would be refused under the budget of " + amount + " (-AllowUnpricedModel sends them).";
            }
            return cost <= limit
                ? " It fits the budget of " + amount + "."
                : " It does not fit the budget of " + amount + ": records past it would not be sent ($" + (cost - limit).ToString("0.000", CultureInfo.InvariantCulture) + " over).";
        }
    }
}
