using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Core.Batch
{
    /// <summary>How an error names the input record it is about: its position in the input and its Name, or else its
    /// first column ("record 3 (Name 'spring-sale')"), so a console or a cron log shows which of 200 rows it was. A task
    /// remembers the label of the record it was made from, so a later cmdlet of the pipeline names the same row.</summary>
    public static class RecordLabel
    {
        // Keyed by reference and weak: a label lives as long as its task does, and costs nothing after.
        private static readonly ConditionalWeakTable<SeedreamTask, string> Origins = new ConditionalWeakTable<SeedreamTask, string>();

        /// <summary>The label of the record at <paramref name="position"/> (from 1): a string is shown itself, a file by
        /// its name, a task by the record it came from (or its Name column, or its id), a record by its Name column or
        /// else its first non-empty column.</summary>
        public static string For(int position, object record, IEnumerable<KeyValuePair<string, object>> columns = null)
        {
            if (record is SeedreamTask task)
            {
                string origin = OriginOf(task);
                if (origin != null) return origin;
                string named = Describe(task.Context);
                return "record " + position.ToString(CultureInfo.InvariantCulture) + " (" + (named ?? "task " + task.Id) + ")";
            }
            string what = record switch
            {
                null => null,
                string text => "'" + Text.Shorten(text, 40) + "'",
                FileSystemInfo file => "'" + file.Name + "'",
                Uri uri => "'" + Text.Shorten(uri.ToString(), 60) + "'",
                _ => Describe(columns ?? (record as IDictionary)?.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object>(Convert.ToString(e.Key, CultureInfo.InvariantCulture), e.Value))),
            };
            return "record " + position.ToString(CultureInfo.InvariantCulture) + (what == null ? string.Empty : " (" + what + ")");
        }

        /// <summary>Remembers that <paramref name="task"/> was made from the record <paramref name="label"/> names.</summary>
        public static void SetOrigin(SeedreamTask task, string label)
        {
            if (task == null || string.IsNullOrEmpty(label)) return;
            lock (Origins)
            {
                Origins.Remove(task);
                Origins.Add(task, label);
            }
        }

        /// <summary>The label of the record <paramref name="task"/> was made from in this session, or null.</summary>
        public static string OriginOf(SeedreamTask task)
        {
            if (task == null) return null;
            lock (Origins) return Origins.TryGetValue(task, out string label) ? label : null;
        }

        /// <summary><paramref name="message"/> with the label in front: "Record 3 (Name 'x'): message".</summary>
        public static string Prefix(string label, string message)
        {
            if (string.IsNullOrEmpty(label)) return message;
            return char.ToUpperInvariant(label[0]) + label.Substring(1) + ": " + message;
        }

        // Name first (what the README's batches use), else the first column with a value.
        private static string Describe(IEnumerable<KeyValuePair<string, object>> columns)
        {
            if (columns == null) return null;
            var list = columns.Where(c => !string.IsNullOrEmpty(c.Key)).ToList();
            var chosen = list.FirstOrDefault(c => string.Equals(c.Key, "Name", StringComparison.OrdinalIgnoreCase) && !IsBlank(c.Value));
            if (chosen.Key == null) chosen = list.FirstOrDefault(c => !IsBlank(c.Value));
            if (chosen.Key == null) return null;
            return chosen.Key + " '" + Text.Shorten(Convert.ToString(chosen.Value, CultureInfo.InvariantCulture), 40) + "'";
        }

        private static bool IsBlank(object value) => value == null || string.IsNullOrWhiteSpace(Convert.ToString(value, CultureInfo.InvariantCulture));
    }
}
