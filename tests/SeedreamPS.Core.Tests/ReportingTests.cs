using System.Collections.Generic;
using System.IO;
using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Tasks;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>How errors name their record, and that a task's failure is reported once per pipeline.</summary>
public class ReportingTests
{
    private static KeyValuePair<string, object> Cell(string name, object value) => new KeyValuePair<string, object>(name, value);

    [Fact]
    public void A_record_is_named_by_position_and_Name_else_first_column()
    {
        Assert.Equal("record 3 (Name 'spring-sale')", RecordLabel.For(3, new object(), new[] { Cell("Prompt", "x"), Cell("Name", "spring-sale") }));
        Assert.Equal("record 2 (Title 'banner')", RecordLabel.For(2, new object(), new[] { Cell("Title", "banner"), Cell("Prompt", "x") }));
        Assert.Equal("record 2 (Prompt 'x')", RecordLabel.For(2, new object(), new[] { Cell("Name", " "), Cell("Prompt", "x") }));
        Assert.Equal("record 1 ('a fox')", RecordLabel.For(1, "a fox"));
        Assert.Equal("record 4 ('ref.png')", RecordLabel.For(4, new FileInfo(Path.Combine(Path.GetTempPath(), "ref.png"))));
        Assert.Equal("Record 4 ('ref.png'): bad", RecordLabel.Prefix("record 4 ('ref.png')", "bad"));
    }

    [Fact]
    public void A_task_is_named_by_the_record_it_came_from()
    {
        var task = new SeedreamTask { Id = "t1" };
        Assert.Equal("record 5 (task t1)", RecordLabel.For(5, task));
        task.Context["Name"] = "hero";
        Assert.Equal("record 5 (Name 'hero')", RecordLabel.For(5, task));
        RecordLabel.SetOrigin(task, "record 2 (Name 'hero')");
        Assert.Equal("record 2 (Name 'hero')", RecordLabel.For(5, task));
    }

    [Fact]
    public void A_failure_is_reported_once_per_scope()
    {
        var task = new SeedreamTask { Id = "t1" };
        Assert.True(TaskFailures.FirstReport(task, 7));
        Assert.False(TaskFailures.FirstReport(task, 7));
        Assert.True(TaskFailures.FirstReport(task, 8));
        Assert.True(TaskFailures.FirstReport(new SeedreamTask { Id = "t1" }, 8));
    }
}
