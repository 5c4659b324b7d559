using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace SeedreamPS.Validation
{
    /// <summary>Turns files (Get-ChildItem results) given to -ReferenceImage into their full paths. Windows PowerShell
    /// 5.1 would otherwise turn a listed file into its bare name, which then resolves against the wrong folder.</summary>
    public sealed class ReferenceTransformationAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = Unwrap.Value(inputData);
            if (value is string || value == null) return inputData;
            if (value is FileSystemInfo single) return new[] { single.FullName };
            if (!(value is IEnumerable items)) return inputData;
            var result = new List<object>();
            foreach (var item in items)
            {
                object element = Unwrap.Value(item);
                result.Add(element is FileSystemInfo file ? file.FullName : item);
            }
            return result.ToArray();
        }
    }
}
