using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SeedreamPS.Core.Storage;
using SeedreamPS.Core.Tasks;

namespace SeedreamPS.Commands
{
    /// <summary>Output objects that behave like PowerShell data: the input record's columns become properties of the
    /// task and of each saved file, so Where-Object, Sort-Object, Group-Object and Export-Csv work on them directly.</summary>
    internal static class OutputObjects
    {
        private static readonly HashSet<string> TaskProperties = new HashSet<string>(
            typeof(SeedreamTask).GetProperties().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);

        /// <summary>The task with each carried column as a property. A column named like a task property (Status, Id, …)
        /// does not replace it; it stays in <c>Context</c>. PowerShell keeps the added properties with the task object,
        /// so a task piped on to Get-SeedreamTask or Wait-SeedreamTask keeps them.</summary>
        public static PSObject Task(SeedreamTask task)
        {
            var output = PSObject.AsPSObject(task);
            AddColumns(output, task.Context, TaskProperties);
            return output;
        }

        /// <summary>A saved file (Get-Item's FileInfo) carrying what produced it: the task id, gateway, model, prompt and
        /// image index, and the input record's columns, so the output is an asset manifest as it stands.</summary>
        public static PSObject File(PSObject file, SavedImage saved)
        {
            var task = saved.Task;
            var existing = new HashSet<string>(file.Properties.Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
            Add(file, existing, "TaskId", task?.Id ?? saved.Image.TaskId);
            Add(file, existing, "ImageIndex", saved.Image.Index);
            Add(file, existing, "Gateway", task?.Gateway.ToString());
            Add(file, existing, "Model", task?.Model);
            Add(file, existing, "Prompt", task?.Request?.Prompt);
            Add(file, existing, "ImageUrl", saved.Image.Url?.AbsoluteUri);
            // What the file says about its origin, so a manifest shows which files carry the AI mark.
            Add(file, existing, "DigitalSourceType", saved.DigitalSourceType);
            // The record's columns as one value too: a column whose name is a file property (Name, Size, Length) is
            // reached there ($file.SeedreamColumns.Name), and Export-SeedreamGallery tells columns from file properties.
            Add(file, existing, "SeedreamColumns", task?.Context);
            if (task != null) AddColumns(file, task.Context, existing);
            return file;
        }

        private static void AddColumns(PSObject output, IDictionary<string, object> columns, ICollection<string> reserved)
        {
            if (columns == null) return;
            foreach (var pair in columns)
            {
                if (string.IsNullOrEmpty(pair.Key) || reserved.Contains(pair.Key)) continue;
                var present = output.Properties[pair.Key];
                if (present is PSNoteProperty note) note.Value = pair.Value;
                else if (present == null) output.Properties.Add(new PSNoteProperty(pair.Key, pair.Value));
            }
        }

        private static void Add(PSObject output, HashSet<string> existing, string name, object value)
        {
            if (!existing.Add(name)) return;
            output.Properties.Add(new PSNoteProperty(name, value));
        }
    }
}
