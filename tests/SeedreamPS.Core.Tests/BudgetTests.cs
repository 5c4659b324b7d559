using SeedreamPS.Core.Batch;
using SeedreamPS.Core.Catalog;
using SeedreamPS.Core.Client;
using SeedreamPS.Core.Errors;
using SeedreamPS.Core.Requests;
using Xunit;

namespace SeedreamPS.Core.Tests;

/// <summary>-MaxCostUsd: what one invocation sends never exceeds its budget, counted by Count at the catalogue's price.</summary>
public class BudgetTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _sim;

    public BudgetTests(SimulatorFixture sim)
    {
        _sim = sim;
        _sim.Reset();
        _sim.Host.State.Options.GenerationLatency = TimeSpan.Zero;
    }

    private Task<List<BatchEvent>> Run(decimal? budget, IEnumerable<SeedreamRequest> requests, SeedreamGateway gateway = SeedreamGateway.EvoLink,
        bool allowUnpriced = false, Journal.TaskJournal journal = null, bool resume = false, string key = null) =>
        EngineHelpers.RunBatch(new BatchOptions
        {
            Journal = journal, Clients = ClientSet.Of(_sim.Client(gateway, key: key)), MaxCostUsd = budget, AllowUnpriced = allowUnpriced, Resume = resume, ThrottleLimit = 1,
        }, batch =>
        {
            int row = 0;
            foreach (var request in requests) batch.Submit(request, null, new Dictionary<string, object> { ["Row"] = row++ }, request);
        });

    private static SeedreamRequest P(string prompt, int count = 1, string model = null) => new() { Prompt = prompt, Count = count, Model = model };

    [Fact]
    public async Task Records_past_the_budget_are_not_sent_and_each_says_the_budget_what_is_committed_and_what_it_would_cost()
    {
        // Seedream 4.0 on EvoLink: $0.019 an image. $0.05 pays for two.
        var events = await Run(0.05m, new[] { P("a"), P("b"), P("c"), P("d") });
        Assert.Equal(2, events.Count(e => e.Kind == BatchEventKind.Created));
        var refused = events.Where(e => e.Kind == BatchEventKind.Refused).ToList();
        Assert.Equal(2, refused.Count);
        var error = Assert.IsType<SeedreamException>(refused[0].Error);
        Assert.Equal(ErrorIds.BudgetExceeded, error.ErrorId);
        Assert.Contains("The budget is $0.050 and $0.038 is committed; this record would cost $0.019", error.Message);
        Assert.Equal(2, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task The_budget_counts_Count_because_the_gateways_pre_charge_for_it()
    {
        var events = await Run(0.05m, new[] { P("three", count: 3), P("one") });
        Assert.Contains("would cost $0.057", Assert.Single(events, e => e.Kind == BatchEventKind.Refused).Error.Message);
        Assert.Single(events, e => e.Kind == BatchEventKind.Created);
    }

    [Fact]
    public async Task Reused_tasks_cost_nothing_against_it()
    {
        using var folder = new TempFolder();
        var journal = new Journal.TaskJournal(folder.File("journal.jsonl"));
        await Run(0.04m, new[] { P("a"), P("b") }, journal: journal);
        var again = await Run(0.001m, new[] { P("a"), P("b") }, journal: journal, resume: true);
        Assert.Equal(2, again.Count(e => e.Kind == BatchEventKind.Reused));
        Assert.DoesNotContain(again, e => e.Kind == BatchEventKind.Refused);
        Assert.Equal(2, _sim.Host.State.Count("evolink.create"));
    }

    [Fact]
    public async Task A_model_without_a_published_price_is_refused_under_a_budget_unless_allowed()
    {
        var refused = await Run(10m, new[] { P("p", model: "seedream-4.5") }, SeedreamGateway.LinkModel);
        Assert.Equal(ErrorIds.BudgetUnpriced, ((SeedreamException)Assert.Single(refused).Error).ErrorId);
        Assert.Equal(0, _sim.Host.State.Count("linkmodel.create"));
        var allowed = await Run(10m, new[] { P("p", model: "seedream-4.5") }, SeedreamGateway.LinkModel, allowUnpriced: true);
        Assert.Equal(BatchEventKind.Created, Assert.Single(allowed).Kind);
        // Without a budget nothing is refused for its price.
        Assert.Equal(BatchEventKind.Created, Assert.Single(await Run(null, new[] { P("p", model: "seedream-4.5") }, SeedreamGateway.LinkModel)).Kind);
    }

    [Fact]
    public async Task A_create_the_gateway_refused_gives_its_cost_back()
    {
        // A refusal of the record itself (a 401 or 402 would stop the whole batch instead).
        _sim.Host.State.AddFaults(new[] { new SeedreamPS.Simulator.FaultRule { Target = "evolink.create", Kind = SeedreamPS.Simulator.FaultKind.Status, Status = 400, Times = 2 } });
        var events = await Run(0.02m, new[] { P("a"), P("b") });
        // Both were tried: the first refusal (400) made nothing, so the second still fit.
        Assert.Equal(2, events.Count(e => e.Kind == BatchEventKind.Refused && e.Error is Http.SeedreamApiException));
        Assert.Equal(2, _sim.Host.State.Count("evolink.create"));
    }

    [Theory]
    [InlineData("12.50", 12.50)]
    [InlineData("$3", 3)]
    [InlineData(" 0 ", 0)]
    [InlineData("1,5", 1.5)]   // a decimal comma, read as one: never 15
    public void The_environment_budget_is_an_amount_in_dollars(string text, double expected) =>
        Assert.Equal((decimal)expected, BatchOptions.ParseBudget(text));

    [Theory]
    [InlineData("ten")]
    [InlineData("-1")]
    [InlineData("1,500")]      // a thousand and a half, or one and a half: refused, never guessed
    public void A_budget_that_is_no_amount_stops_with_a_clear_error(string text)
    {
        var e = Assert.Throws<SeedreamException>(() => BatchOptions.ParseBudget(text));
        Assert.Equal(ErrorIds.InvalidConfiguration, e.ErrorId);
        Assert.Contains("SEEDREAM_MAX_COST_USD", e.Message);
        Assert.Null(BatchOptions.ParseBudget(""));
    }

    [Fact]
    public void One_budget_type_commits_what_is_sent_and_sums_up_what_WhatIf_would_send()
    {
        // Seedream 4.0 on EvoLink: $0.019 an image.
        var client = _sim.Client(SeedreamGateway.EvoLink);
        var one = client.Validate(P("a"));
        var budget = new Budget(0.05m, allowUnpriced: false);
        Assert.Null(budget.TryCommit(one, 0.019m));
        Assert.Null(budget.TryCommit(one, 0.019m));
        var refused = budget.TryCommit(one, 0.019m);
        Assert.Equal(ErrorIds.BudgetExceeded, refused!.ErrorId);
        Assert.Contains("$0.038 is committed", refused.Message);
        // A create the gateway refused gives its cost back.
        budget.Release(0.019m);
        Assert.Null(budget.TryCommit(one, 0.019m));

        Assert.Null(budget.PlanSummary());
        for (int i = 0; i < 3; i++) budget.Plan(one);
        Assert.Equal("In total 3 image(s), estimated $0.057. It does not fit the budget of $0.050: records past it would not be sent ($0.007 over).", budget.PlanSummary());
        var none = new Budget(null, allowUnpriced: false);
        Assert.Null(none.TryCommit(one, 100m));
        none.Plan(client.Validate(P("b", count: 2)));
        Assert.Equal("In total 2 image(s), estimated $0.038.", none.PlanSummary());
    }
}
