using System.Collections.Generic;
using System.Text;

namespace SeedreamPS.Core.Client
{
    /// <summary>One server-sent event: its name, its data, and the inline images taken out of the data.</summary>
    internal sealed class ServerEvent
    {
        public ServerEvent(string name, string data, IReadOnlyList<string> files)
        {
            Name = name;
            Data = data;
            Files = files;
        }

        public string Name { get; }

        public string Data { get; }

        public IReadOnlyList<string> Files { get; }
    }
}
