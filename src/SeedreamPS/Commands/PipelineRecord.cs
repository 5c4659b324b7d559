using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace SeedreamPS.Commands
{
    /// <summary>One pipeline object as New-SeedreamImage reads it: the values it gives the request, and the columns its
    /// task carries. Read here, on the pipeline thread: the object is PowerShell's, and the next record replaces it.</summary>
    internal sealed class PipelineRecord
    {
        private PipelineRecord(Dictionary<string, object> values, Dictionary<string, object> context, bool isFile)
        {
            Values = values;
            Context = context;
            IsFile = isFile;
        }

        /// <summary>What the record says, by column name (null: no pipeline input).</summary>
        public Dictionary<string, object> Values { get; }

        /// <summary>The columns the task carries (for file names, the journal key and output properties).</summary>
        public Dictionary<string, object> Context { get; }

        /// <summary>Whether the record is a file, which gives a reference image and nothing else.</summary>
        public bool IsFile { get; }

        /// <summary>Reads <paramref name="input"/>: a string is a prompt; a file is a reference image (its Size, Length,
        /// Mode, UnixMode, User, Group and the rest never bind), carrying Name, BaseName, Extension, FullName and
        /// DirectoryName for file naming; a dictionary gives its entries; any other object its properties. Names are trimmed.</summary>
        public static PipelineRecord Read(PSObject input)
        {
            var context = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (input == null) return new PipelineRecord(null, context, false);
            object value = input.BaseObject;
            var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            switch (value)
            {
                case string prompt:
                    values["Prompt"] = prompt;
                    return new PipelineRecord(values, context, false);
                case FileSystemInfo file:
                    values["ReferenceImage"] = file.FullName;
                    context["Name"] = file.Name;
                    context["BaseName"] = file is FileInfo ? Path.GetFileNameWithoutExtension(file.Name) : file.Name;
                    context["Extension"] = file.Extension;
                    context["FullName"] = file.FullName;
                    context["DirectoryName"] = (file as FileInfo)?.DirectoryName ?? Path.GetDirectoryName(file.FullName);
                    return new PipelineRecord(values, context, true);
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        string key = entry.Key?.ToString()?.Trim();
                        if (string.IsNullOrEmpty(key)) continue;
                        object cell = Validation.Unwrap.Value(entry.Value);
                        values[key] = cell;
                        context[key] = cell;
                    }
                    return new PipelineRecord(values, context, false);
            }
            foreach (var property in input.Properties)
            {
                if (!property.IsGettable) continue;
                try
                {
                    object cell = Validation.Unwrap.Value(property.Value);
                    // Header names are trimmed: "Name, Prompt" (a space after the comma) reads as Prompt.
                    string name = property.Name.Trim();
                    if (name.Length == 0) continue;
                    values[name] = cell;
                    context[name] = cell;
                }
                catch (GetValueException)
                {
                    // A property that throws when read carries nothing.
                }
            }
            return new PipelineRecord(values, context, false);
        }
    }
}
