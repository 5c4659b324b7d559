using System.Management.Automation;

namespace SeedreamPS.Validation
{
    /// <summary>PowerShell hands attributes and cmdlets values wrapped in <see cref="PSObject"/>; this is the value inside.</summary>
    internal static class Unwrap
    {
        /// <summary>The base object of <paramref name="value"/>, or the value itself when it is not wrapped.</summary>
        public static object Value(object value) => value is PSObject wrapped ? wrapped.BaseObject : value;

        /// <summary>The value as text (null stays null).</summary>
        public static string Text(object value) => Value(value)?.ToString();
    }
}
