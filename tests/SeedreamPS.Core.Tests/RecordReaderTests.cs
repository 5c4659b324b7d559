using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>What New-SeedreamImage reads from a pipeline record, and how tasks read in a table, a CSV cell or a message.</summary>
public class RecordReaderTests
{
    private static Dictionary<string, object> Row(params (string Name, object Value)[] cells) =>
        cells.ToDictionary(c => c.Name, c => c.Value, StringComparer.OrdinalIgnoreCase);

    [Fact]
    public void A_csv_row_gives_every_value_under_the_parameter_names_and_aliases()
    {
        var values = RecordReader.Read(Row(("prompt", "a fox"), ("Model", "4.5"), ("Size", "16:9"), ("Quality", "4K"), ("N", "3"),
            ("image_urls", "https://a.example/1.png; https://a.example/2.png"), ("PromptPriority", "standard"), ("CallbackUrl", "https://hooks.example.com/x"),
            ("NoWatermark", "true"), ("Gateway", "linkmodel")));
        Assert.Equal(("a fox", "4.5", "16:9", "4K", 3), (values.Prompt, values.Model, values.Size, values.Quality, values.Count));
        Assert.Equal(new[] { "https://a.example/1.png", "https://a.example/2.png" }, values.ReferenceImages);
        Assert.Equal(("standard", "https://hooks.example.com/x", true, SeedreamGateway.LinkModel), (values.PromptPriority, values.CallbackUrl, values.NoWatermark, values.Gateway));
    }

    [Fact]
    public void Blank_cells_mean_the_default()
    {
        var values = RecordReader.Read(Row(("Prompt", "p"), ("Size", ""), ("Quality", " "), ("Count", ""), ("ReferenceImage", ""), ("Gateway", "")));
        Assert.Null(values.Size);
        Assert.Null(values.Quality);
        Assert.Null(values.Count);
        Assert.Null(values.ReferenceImages);
        Assert.Null(values.Gateway);
    }

    [Fact]
    public void Only_the_names_of_request_values_are_read()
    {
        // What PowerShell adds to every file on Linux and macOS, or a record's unrelated columns, is not a request value.
        var values = RecordReader.Read(Row(("Prompt", "p"), ("Length", 127523L), ("UnixMode", "-rw-r--r--"), ("User", "root"), ("Group", "root"),
            ("Mode", "-a---"), ("Attributes", "Archive"), ("Name", "x.png"), ("BaseName", "x"), ("Extension", ".png"), ("PSPath", "FileSystem::/x.png")));
        Assert.Equal("p", values.Prompt);
        Assert.Null(values.Size);
        Assert.Null(values.ReferenceImages);
    }

    [Theory]
    [InlineData("Size", "1:20", "Size ratio '1:20'")]
    [InlineData("Size", "127523", "is not a size")]
    [InlineData("Quality", "5K", "Quality '5K' is not one of 1K, 1.5K, 2K, 3K, 4K")]
    [InlineData("Count", "16", "Count '16' is not a whole number from 1 to 15")]
    [InlineData("Count", "two", "Count 'two' is not a whole number")]
    [InlineData("CallbackUri", "http://example.com/cb", "CallbackUri")]
    [InlineData("PromptPriority", "turbo", "PromptPriority 'turbo'")]
    [InlineData("Gateway", "Midjourney", "Gateway 'Midjourney' is not one of EvoLink, LinkModel or ModelArk")]
    [InlineData("NoWatermark", "maybe", "NoWatermark 'maybe'")]
    public void A_cell_that_breaks_its_parameter_rule_is_an_error_that_names_it(string column, string value, string message)
    {
        var e = Assert.Throws<SeedreamValidationException>(() => RecordReader.Read(Row(("Prompt", "p"), (column, value))));
        Assert.Contains(message, e.Message);
        Assert.Equal(ErrorIds.InvalidParameter + "." + column, e.ErrorId);
    }

    [Fact]
    public void A_task_reads_as_text_in_a_csv_cell()
    {
        var task = new SeedreamTask { Id = "t", Request = new SeedreamRequest { Prompt = "a fox", Size = "16:9", Count = 2 } };
        task.Images.Add(new SeedreamImage("t", 0, new Uri("https://cdn.example.com/a.png"), null));
        task.Images.Add(new SeedreamImage("t", 1, new Uri("https://cdn.example.com/b.png"), null));
        task.Context["Name"] = "hero";
        task.Context["Campaign"] = "spring";
        Assert.Equal("https://cdn.example.com/a.png; https://cdn.example.com/b.png", task.Images.ToString());
        Assert.Equal("Name=hero; Campaign=spring", task.Context.ToString());
        Assert.Equal("a fox (16:9, 2 images)", task.Request.ToString());
        Assert.Equal("a fox", task.Prompt);
        // A refresh keeps the readable list.
        task.UpdateFrom(new SeedreamTask { Status = SeedreamTaskStatus.Succeeded, Images = new List<SeedreamImage>(task.Images) });
        Assert.IsType<SeedreamImageList>(task.Images);
    }

    [Fact]
    public void A_failure_without_a_reason_says_what_is_known_and_never_ends_in_a_blank()
    {
        var task = new SeedreamTask { Id = "abc", Gateway = SeedreamGateway.LinkModel, Status = SeedreamTaskStatus.Failed, Error = new SeedreamTaskError(null, null), RequestId = "req-9" };
        string message = new SeedreamTaskFailedException(task).Message;
        Assert.Equal("Task abc on LinkModel failed: the gateway gave no reason (status Failed, request id req-9)", message);
        Assert.Equal("TaskFailed.unknown", new SeedreamTaskFailedException(task).ErrorId);
        task.Error = new SeedreamTaskError("content_policy_violation", "");
        Assert.Equal("Task abc on LinkModel failed: the gateway gave no reason (status Failed, error code content_policy_violation, request id req-9)", new SeedreamTaskFailedException(task).Message);
        task.Error = new SeedreamTaskError("content_policy_violation", "blocked");
        Assert.EndsWith("failed: content_policy_violation: blocked (request id req-9)", new SeedreamTaskFailedException(task).Message);
    }

    [Fact]
    public void A_LinkModel_task_failed_with_an_empty_msg_reads_with_its_request_id()
    {
        const string body = "{\"code\":0,\"message\":\"ok\",\"request_id\":\"req-42\",\"data\":{\"task_id\":\"aurora_xyz789\",\"status\":\"Failed\",\"msg\":\"\",\"images\":[],\"output_images\":[]}}";
        var task = SeedreamPS.Core.Gateways.CallbackBody.Parse(body, SeedreamGateway.LinkModel);
        Assert.Equal(SeedreamTaskStatus.Failed, task.Status);
        Assert.Equal("req-42", task.RequestId);
        Assert.Equal("Task aurora_xyz789 on LinkModel failed: the gateway gave no reason (status Failed, request id req-42)", new SeedreamTaskFailedException(task).Message);
    }

    [Fact]
    public void Two_columns_for_one_parameter_are_an_error_naming_both()
    {
        var e = Assert.Throws<SeedreamValidationException>(() => RecordReader.Read(Row(("Prompt", "p"), ("Count", "2"), ("N", "3"))));
        Assert.Contains("Count, N", e.Message);
        // One of them blank is no choice to make.
        Assert.Equal(3, RecordReader.Read(Row(("Prompt", "p"), ("Count", ""), ("N", "3"))).Count);
    }

    [Fact]
    public void A_missing_prompt_says_what_is_wrong()
    {
        Assert.Contains("Prompt cell is empty", RecordReader.WhyNoPrompt(Row(("Name", "a"), ("Prompt", ""))));
        Assert.Contains("-Delimiter ';'", RecordReader.WhyNoPrompt(Row(("Name;Prompt;Size", "a;b;1:1"))));
        Assert.Contains("-Delimiter '`t'", RecordReader.WhyNoPrompt(Row(("Name\tPrompt", "a\tb"))));
        string listed = RecordReader.WhyNoPrompt(Row(("Name", "a"), ("Prompts", "b")));
        Assert.Contains("'Name', 'Prompts'", listed);
        Assert.Contains("'Prompts' is not Prompt", listed);
    }

    [Fact]
    public void Columns_one_edit_from_a_parameter_are_found()
    {
        var similar = RecordReader.SimilarColumns(new[] { "Qualty", "Ratio", "Name", "Prompt", "Modle", "Campaign", "No", "Prompts" }).ToList();
        Assert.Equal(new[] { "Qualty=Quality", "Ratio=Size", "Modle=Model", "Prompts=Prompt" }, similar.Select(p => p.Key + "=" + p.Value));
    }

    [Fact]
    public void Merge_puts_what_the_command_line_gave_over_the_record_even_a_blank_value()
    {
        var record = RecordReader.Read(Row(("Prompt", "from the row"), ("Model", "4.5"), ("Size", "16:9"), ("Count", "3"), ("NoWatermark", "true"),
            ("ReferenceImage", "https://a.example/1.png; local.png")));
        var commandLine = new SeedreamRequest { Model = " ", Quality = "4K", Count = 1, OutputFormat = "png", WebSearch = true, Background = "Opaque" };
        var merged = RecordReader.Merge(commandLine, new[] { "Model", "Quality" }, record, path => "/full/" + path);
        Assert.Equal("from the row", merged.Prompt);
        Assert.Null(merged.Model);                // given blank: the gateway's default, not the row's 4.5
        Assert.Equal("16:9", merged.Size);
        Assert.Equal("4K", merged.Quality);
        Assert.Equal(3, merged.Count);
        Assert.False(merged.Watermark);
        Assert.Equal(new[] { "https://a.example/1.png", "/full/local.png" }, merged.ReferenceImages);
        // Never read from records: always the command line's.
        Assert.Equal(("png", true, "Opaque"), (merged.OutputFormat, merged.WebSearch, merged.Background));

        var given = RecordReader.Merge(new SeedreamRequest { Prompt = "typed", Count = 2, ReferenceImages = new string[0] }, new[] { "Prompt", "Count", "ReferenceImage", "NoWatermark" }, record);
        Assert.Equal(("typed", 2, 0), (given.Prompt, given.Count, given.ReferenceImages.Count));
        Assert.Null(given.Watermark);
        Assert.Equal(1, RecordReader.Merge(new SeedreamRequest(), null, null).Count);
    }
}
