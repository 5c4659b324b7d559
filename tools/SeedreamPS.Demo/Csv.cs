using System.Text;

namespace SeedreamPS.Demo;

/// <summary>Reads a CSV file with a header row (RFC 4180 quoting), the way Import-Csv does.</summary>
internal static class Csv
{
    public static List<Dictionary<string, string>> Read(string path)
    {
        var rows = Parse(File.ReadAllText(path));
        if (rows.Count == 0) return new();
        var header = rows[0];
        return rows.Skip(1)
            .Where(r => r.Any(cell => cell.Length > 0))
            .Select(r => header.Select((name, i) => (name, value: i < r.Count ? r[i] : ""))
                .ToDictionary(p => p.name, p => p.value, StringComparer.OrdinalIgnoreCase))
            .ToList();
    }

    private static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = new List<string>();
            }
            else cell.Append(c);
        }
        if (cell.Length > 0 || row.Count > 0)
        {
            row.Add(cell.ToString());
            rows.Add(row);
        }
        return rows;
    }
}
