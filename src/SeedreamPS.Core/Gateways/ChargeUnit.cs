namespace SeedreamPS.Core.Gateways
{
    /// <summary>What a gateway reports it charged for a task (the task's <c>Charge</c>).</summary>
    public enum ChargeUnit
    {
        /// <summary>It reports no charge.</summary>
        None,

        /// <summary>US dollars (LinkModel's <c>price</c>).</summary>
        UsDollars,

        /// <summary>The gateway's own credits, which are not dollars (EvoLink's <c>credits_reserved</c>).</summary>
        Credits,
    }
}
