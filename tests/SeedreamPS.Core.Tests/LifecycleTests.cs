using System.Diagnostics;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Requests;
using SeedreamPS.Core.Tasks;
using SeedreamPS.Simulator;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>Waiting: failures with every documented code, timeouts, cancellation, poll schedules.</summary>
public class LifecycleTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public LifecycleTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.FromMilliseconds(100);
    }

    [Theory]
    [InlineData("content_policy_violation", false)]
    [InlineData("invalid_parameters", false)]
    [InlineData("image_processing_error", false)]
    [InlineData("image_dimension_mismatch", false)]
    [InlineData("request_cancelled", false)]
    [InlineData("generation_failed_no_content", true)]
    [InlineData("service_error", true)]
    [InlineData("generation_timeout", true)]
    [InlineData("resource_exhausted", true)]
    [InlineData("quota_exceeded", true)]
    [InlineData("service_unavailable", true)]
    [InlineData("resource_not_found", false)]
    [InlineData("unknown_error", true)]
    [InlineData("upstream_error", true)]
    [InlineData("rate_limited", true)]
    [InlineData("model_unavailable", false)]
    public async Task EvoLink_task_failures_carry_the_documented_code(string code, bool transient)
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.TaskFail, ErrorCode = code } });
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }), TimeSpan.FromSeconds(10));
        Assert.Equal(SeedreamTaskStatus.Failed, task.Status);
        Assert.Equal(code, task.Error.Code);
        Assert.False(string.IsNullOrEmpty(task.Error.Message));
        Assert.Equal(transient, task.Error.IsTransient);
        Assert.Empty(task.Images);
    }

    [Fact]
    public async Task LinkModel_task_failure_carries_its_message()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "linkmodel.create", Kind = FaultKind.TaskFail, ErrorCode = "content_policy_violation" } });
        var client = _sim.Client(SeedreamGateway.LinkModel);
        var task = await client.WaitAsync(await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" }), TimeSpan.FromSeconds(10));
        Assert.Equal(SeedreamTaskStatus.Failed, task.Status);
        Assert.Contains("content policy", task.Error.Message);
    }

    [Fact]
    public async Task A_task_that_never_finishes_times_out_and_is_kept()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.NeverFinish } });
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        // Two seconds of polls every 50 ms: even a loaded machine has read the task's state at least once by then.
        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitAsync(task, TimeSpan.FromSeconds(2)));
        Assert.Contains(task.Id, e.Message);
        Assert.Equal(SeedreamTaskStatus.Running, task.Status);
        Assert.Equal(99, task.Progress);
    }

    [Fact]
    public async Task Cancellation_stops_a_wait_promptly()
    {
        _sim.Host.State.AddFaults(new[] { new FaultRule { Target = "evolink.create", Kind = FaultKind.NeverFinish } });
        var client = _sim.Client(SeedreamGateway.EvoLink);
        client.PollSchedule = PollSchedule.Every(TimeSpan.FromMinutes(10));
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WaitAsync(task, null, null, cts.Token));
        // Behaviour, not speed: a ten-minute poll interval was abandoned, not waited out.
        Assert.True(watch.Elapsed < TimeSpan.FromMinutes(1), $"the wait ignored cancellation ({watch.Elapsed})");
    }

    [Fact]
    public void LinkModel_schedule_is_the_documented_one()
    {
        var schedule = new LinkModelPollSchedule();
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.NextDelay(TimeSpan.Zero, null));
        Assert.Equal(TimeSpan.FromSeconds(3), schedule.NextDelay(TimeSpan.FromSeconds(10), null));
        Assert.Equal(TimeSpan.FromSeconds(3), schedule.NextDelay(TimeSpan.FromSeconds(59), null));
        Assert.Equal(TimeSpan.FromSeconds(6), schedule.NextDelay(TimeSpan.FromSeconds(60), null));
        Assert.Equal(TimeSpan.FromSeconds(6), schedule.NextDelay(TimeSpan.FromSeconds(179), null));
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.NextDelay(TimeSpan.FromMinutes(3), null));
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.NextDelay(TimeSpan.FromMinutes(14), null));
    }

    [Fact]
    public async Task LinkModel_tasks_are_not_polled_past_the_documented_15_minutes()
    {
        var client = _sim.Client(SeedreamGateway.LinkModel);
        client.PollSchedule = new LinkModelPollSchedule();
        // A task created 20 minutes ago that is still running: the documents say to stop asking.
        var old = new SeedreamTask { Gateway = SeedreamGateway.LinkModel, Id = Guid.NewGuid().ToString(), Status = SeedreamTaskStatus.Running, CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-20) };
        var events = new List<Batch.TaskEvent>();
        await new Batch.TaskWatcher(_ => client).WatchAsync(new[] { old }, null, events.Add, CancellationToken.None);
        Assert.Equal(Batch.TaskEventKind.TimedOut, Assert.Single(events).Kind);
        Assert.Equal(0, _sim.Host.State.Count("linkmodel.query"));
        Assert.Equal(TimeSpan.FromMinutes(15), new LinkModelPollSchedule().GiveUpAfter);
        Assert.Null(new AdaptivePollSchedule().GiveUpAfter);
    }

    [Fact]
    public void EvoLink_schedule_follows_the_estimate_and_progress()
    {
        var schedule = new AdaptivePollSchedule();
        var task = new SeedreamTask { EstimatedSeconds = 10 };
        Assert.Equal(TimeSpan.FromSeconds(5), schedule.NextDelay(TimeSpan.Zero, task));
        task.Progress = 50;
        // 4 s for half: the rest is predicted at 4 s, and the next poll comes just after it.
        Assert.Equal(TimeSpan.FromSeconds(4 * 1.05 + 0.05), schedule.NextDelay(TimeSpan.FromSeconds(4), task));
        task.Progress = 99;
        Assert.Equal(TimeSpan.FromSeconds(0.2), schedule.NextDelay(TimeSpan.FromSeconds(4), task));
        Assert.Equal(TimeSpan.FromSeconds(1), schedule.NextDelay(TimeSpan.FromSeconds(60), new SeedreamTask { EstimatedSeconds = 10 }));
        Assert.Equal(TimeSpan.FromSeconds(10), schedule.NextDelay(TimeSpan.Zero, new SeedreamTask { EstimatedSeconds = 600 }));
    }

    [Fact]
    public async Task Refresh_keeps_the_request_and_carried_context()
    {
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var task = await client.CreateTaskAsync(new SeedreamRequest { Prompt = "p" });
        task.Context["Name"] = "banner-1";
        await client.WaitAsync(task, TimeSpan.FromSeconds(10));
        Assert.Equal("banner-1", task.Context["name"]);
        Assert.Equal("p", task.Request.Prompt);
    }
}
