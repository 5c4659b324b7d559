namespace SeedreamPS.Core.Errors
{
    /// <summary>What every SeedreamPS error carries: an id a script can match (without the <c>SeedreamPS.</c> prefix the
    /// cmdlets add) and a category. Each id is listed in about_SeedreamPS.</summary>
    public interface ISeedreamError
    {
        /// <summary>The error id, for example <c>OutcomeUnknown</c> or <c>TaskFailed.content_policy_violation</c>.</summary>
        string ErrorId { get; }

        /// <summary>The kind of failure.</summary>
        SeedreamErrorCategory Category { get; }
    }
}
