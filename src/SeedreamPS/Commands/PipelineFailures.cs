using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace SeedreamPS.Commands
{
    /// <summary>Errors the SeedreamPS cmdlets of one pipeline write, for an Export-SeedreamGallery at its end: the page
    /// then lists what failed in the same pipeline without -ErrorVariable and -Failure wiring. A pipeline is known by the
    /// thread it runs on, its history id and its length; only cmdlets before the listener in it are heard.</summary>
    internal static class PipelineFailures
    {
        [ThreadStatic] private static List<Listener> _listeners;

        /// <summary>Starts collecting the errors of the cmdlets before <paramref name="cmdlet"/> in its pipeline.</summary>
        public static Listener Listen(PSCmdlet cmdlet)
        {
            var invocation = cmdlet.MyInvocation;
            var listener = new Listener(invocation.HistoryId, invocation.PipelineLength, invocation.PipelinePosition);
            (_listeners ?? (_listeners = new List<Listener>())).Add(listener);
            return listener;
        }

        /// <summary>Stops collecting for <paramref name="listener"/>.</summary>
        public static void Stop(Listener listener) => _listeners?.Remove(listener);

        /// <summary>Tells the listeners further down <paramref name="cmdlet"/>'s pipeline about an error it writes.</summary>
        public static void Report(PSCmdlet cmdlet, ErrorRecord error)
        {
            if (_listeners == null || _listeners.Count == 0 || error == null) return;
            var invocation = cmdlet.MyInvocation;
            foreach (var listener in _listeners)
            {
                if (listener.HistoryId == invocation.HistoryId && listener.Length == invocation.PipelineLength && invocation.PipelinePosition < listener.Position)
                {
                    listener.Errors.Add(error);
                }
            }
        }

        /// <summary>One Export-SeedreamGallery waiting for the errors of its pipeline.</summary>
        internal sealed class Listener
        {
            public Listener(long historyId, int length, int position)
            {
                HistoryId = historyId;
                Length = length;
                Position = position;
            }

            public long HistoryId { get; }

            public int Length { get; }

            public int Position { get; }

            public List<ErrorRecord> Errors { get; } = new List<ErrorRecord>();
        }
    }
}
