using System.Text.Json.Nodes;

namespace SeedreamPS.Simulator;

/// <summary>EvoLink's files API for local reference images, mounted under <c>/evolink-files</c>:
/// <c>POST /api/v1/files/upload/stream</c> (multipart field <c>file</c>), files served back until they expire (72 h).</summary>
internal static class FilesEndpoints
{
    private const long MaxBytes = 10L * 1024 * 1024;
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(72);

    public static void Map(WebApplication app)
    {
        var state = app.Services.GetRequiredService<SimulatorState>();
        app.MapPost("/evolink-files/api/v1/files/upload/stream", (HttpRequest request) => Upload(request, state)).DisableAntiforgery();
        app.MapDelete("/evolink-files/api/v1/files/{id}", (HttpRequest request, string id) =>
        {
            if (!Wire.Authorized(request, state.Options)) return Wire.FilesError(401, "Invalid or missing API key");
            return state.Files.TryRemove(id, out _)
                ? Wire.Json(new JsonObject { ["success"] = true, ["code"] = 200, ["msg"] = "deleted" })
                : Wire.FilesError(404, "File not found", 40004);
        });
        // Added to EvoLink's docs 2026-05-19: the account's file usage and quota (2000 files for the default group).
        app.MapGet("/evolink-files/api/v1/files/quota", (HttpRequest request) =>
        {
            if (!Wire.Authorized(request, state.Options)) return Wire.FilesError(401, "Invalid or missing API key");
            var now = DateTimeOffset.UtcNow;
            int used = state.Files.Count(f => f.Value.Expires > now);
            int max = state.Options.FilesQuota;
            return Wire.Json(new JsonObject
            {
                ["success"] = true,
                ["code"] = 200,
                ["data"] = new JsonObject
                {
                    ["user_group"] = "default",
                    ["used_files"] = used,
                    ["max_files"] = max,
                    ["remain_files"] = Math.Max(0, max - used),
                    ["is_custom"] = max != 2000,
                    ["quota_reason"] = "",
                },
            });
        });
        app.MapGet("/evolink-files/files/{id}/{name}", (string id, string name) =>
            state.Files.TryGetValue(id, out var file) && file.Name == name && file.Expires > DateTimeOffset.UtcNow
                ? Results.Bytes(file.Bytes, file.Mime)
                : Results.NotFound());
    }

    private static async Task<IResult> Upload(HttpRequest request, SimulatorState state)
    {
        if (!Wire.Authorized(request, state.Options)) return Wire.FilesError(401, "Invalid or missing API key");
        if (!request.HasFormContentType) return Wire.FilesError(400, "Expected multipart/form-data with a 'file' field");
        var form = await request.ReadFormAsync();
        var file = form.Files.GetFile("file");
        if (file == null || form.Files.Count != 1) return Wire.FilesError(400, "Exactly one file is accepted per request, in the 'file' field");
        if (file.Length > MaxBytes) return Wire.FilesError(413, "File exceeds 10MB");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer);
        byte[] bytes = buffer.ToArray();
        string? mime = Mime(bytes);
        if (mime == null) return Wire.FilesError(400, "Only jpeg, png, gif and webp images are accepted");

        string id = "file_" + Guid.NewGuid().ToString("N")[..16];
        // EvoLink's own client sends fileName; its pages say file_name.
        string given = !string.IsNullOrWhiteSpace(form["fileName"]) ? form["fileName"].ToString() : form["file_name"].ToString();
        string name = string.IsNullOrWhiteSpace(given) ? Path.GetFileName(file.FileName) : given;
        name = string.Concat(name.Where(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_'));
        if (name.Length == 0) name = id;
        var now = DateTimeOffset.UtcNow;
        // "Uploading a file whose name already exists overwrites the earlier file": same name, same URL, new content.
        var existing = state.Files.FirstOrDefault(f => f.Value.Name == name && f.Value.Expires > now);
        if (existing.Key != null) id = existing.Key;
        else if (state.Files.Count(f => f.Value.Expires > now) >= state.Options.FilesQuota)
        {
            return Wire.FilesError(403, "File quota exceeded: delete files or wait for them to expire", 40003);
        }
        state.Files[id] = (name, mime, bytes, now + Lifetime);
        string url = $"{Wire.Origin(request)}/evolink-files/files/{id}/{name}";
        return Wire.Json(new JsonObject
        {
            ["success"] = true,
            ["code"] = 200,
            ["msg"] = "success",
            ["data"] = new JsonObject
            {
                ["file_id"] = id,
                ["file_name"] = name,
                ["original_name"] = file.FileName,
                ["file_size"] = bytes.Length,
                ["mime_type"] = mime,
                ["upload_path"] = form["upload_path"].ToString(),
                ["file_url"] = url,
                ["download_url"] = url,
                ["upload_time"] = now.ToString("O"),
                ["expires_at"] = (now + Lifetime).ToString("O"),
            },
        });
    }

    private static string? Mime(byte[] b)
    {
        bool Starts(params byte[] magic) => b.Length >= magic.Length && magic.Select((m, i) => b[i] == m).All(x => x);
        if (Starts(0x89, 0x50, 0x4E, 0x47)) return "image/png";
        if (Starts(0xFF, 0xD8, 0xFF)) return "image/jpeg";
        if (Starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
        if (b.Length >= 12 && Starts(0x52, 0x49, 0x46, 0x46) && b[8] == 0x57 && b[9] == 0x45 && b[10] == 0x42 && b[11] == 0x50) return "image/webp";
        return null;
    }
}
