namespace SeedreamPS.Core.Tasks
{
    /// <summary>One image of a batch that was not made, while others were.</summary>
    public sealed class SeedreamImageFailure
    {
        /// <summary>Creates the failure.</summary>
        public SeedreamImageFailure(int position, SeedreamTaskError error)
        {
            Position = position;
            Error = error;
        }

        /// <summary>The entry's position in the gateway's answer, from 0.</summary>
        public int Position { get; }

        /// <summary>The gateway's reason.</summary>
        public SeedreamTaskError Error { get; }

        /// <inheritdoc />
        public override string ToString() => "image " + Position + ": " + Error;
    }
}
