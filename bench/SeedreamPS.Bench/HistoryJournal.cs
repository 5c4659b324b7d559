using System.Globalization;
using System.Text;

namespace SeedreamPS.Bench;

/// <summary>A journal as a year of daily batches leaves it, written the way the module writes its lines.</summary>
internal static class HistoryJournal
{
    public static long Write(string path, int tasks)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var start = DateTimeOffset.UtcNow.AddDays(-366);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        for (int i = 0; i < tasks; i++)
        {
            string time = start.AddSeconds(i * 200L).ToString("O", CultureInfo.InvariantCulture);
            string id = "task-unified-" + (1700000000 + i).ToString(CultureInfo.InvariantCulture) + "-" + i.ToString("x8", CultureInfo.InvariantCulture);
            string fingerprint = Guid.NewGuid().ToString("N");
            writer.Write($"{{\"v\":1,\"type\":\"attempt\",\"time\":\"{time}\",\"fingerprint\":\"{fingerprint}\",\"record\":\"{fingerprint}\",\"occurrence\":0,\"gateway\":\"EvoLink\",\"model\":\"doubao-seedream-4.0\"}}\n");
            writer.Write($"{{\"v\":1,\"type\":\"created\",\"time\":\"{time}\",\"fingerprint\":\"{fingerprint}\",\"record\":\"{fingerprint}\",\"occurrence\":0,\"gateway\":\"EvoLink\",\"id\":\"{id}\",\"model\":\"doubao-seedream-4.0\",\"createdAt\":\"{time}\",\"prompt\":\"A spring sale banner for the garden range, bright daylight, number {i}\",\"context\":{{\"Name\":\"banner-{i}\",\"Campaign\":\"daily\",\"Prompt\":\"A spring sale banner for the garden range, bright daylight, number {i}\"}}}}\n");
            writer.Write($"{{\"v\":1,\"type\":\"completed\",\"time\":\"{time}\",\"id\":\"{id}\",\"images\":[\"https://files.example.com/results/{id}-0.png?expires=1&signature={fingerprint}\"]}}\n");
            writer.Write($"{{\"v\":1,\"type\":\"saved\",\"time\":\"{time}\",\"id\":\"{id}\",\"index\":0,\"path\":\"/srv/banners/out/banner-{i}-0.png\",\"length\":1843221}}\n");
        }
        writer.Flush();
        return writer.BaseStream.Length;
    }
}
