using System.Collections.Concurrent;

namespace SeedreamPS.Simulator;

/// <summary>A task the simulator holds. Its status is a function of time, so no timer has to advance it.</summary>
internal sealed class SimTask
{
    public required string Id { get; init; }
    public required string Gateway { get; init; }
    public required string Model { get; init; }
    public required string Prompt { get; init; }
    public string? Size { get; init; }
    public string? Quality { get; init; }
    public int Requested { get; init; }
    public int ImagesMade { get; init; }
    public string[] References { get; init; } = Array.Empty<string>();
    public string? CallbackUrl { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public TimeSpan Latency { get; init; }
    public string? FailCode { get; init; }

    /// <summary>The failure message a TaskFail fault asked for (null: the usual one for the code; "" an empty one).</summary>
    public string? FailMessage { get; init; }
    public bool NeverFinish { get; init; }
    public decimal Price { get; init; }
    public string Origin { get; init; } = "";

    /// <summary>The result images' format: png, or jpeg (ModelArk 4.0 and 4.5 always; 5.0-lite by output_format).</summary>
    public string Format { get; init; } = "png";
    public int CallbackState; // 0 = not sent, 1 = sending or sent

    public string Phase(DateTimeOffset now)
    {
        var elapsed = now - CreatedAt;
        if (elapsed < Latency / 10) return "pending";
        if (NeverFinish || elapsed < Latency) return "processing";
        return FailCode == null ? "completed" : "failed";
    }

    public int Progress(DateTimeOffset now)
    {
        string phase = Phase(now);
        if (phase == "completed") return 100;
        if (phase == "pending" || Latency <= TimeSpan.Zero) return 0;
        if (NeverFinish) return 99;
        return (int)Math.Clamp((now - CreatedAt) / Latency * 100, 1, 99);
    }
}

/// <summary>Everything the simulator remembers: tasks, uploaded files, balance, faults, request counters.</summary>
public sealed class SimulatorState
{
    private readonly object _faultLock = new();
    private readonly List<FaultRule> _faults = new();
    private readonly ConcurrentDictionary<string, int> _counters = new(StringComparer.OrdinalIgnoreCase);
    private decimal _spent;
    private readonly ConcurrentDictionary<string, int> _billed = new(StringComparer.OrdinalIgnoreCase);

    public SimulatorState(SimulatorOptions options) => Options = options;

    public SimulatorOptions Options { get; }

    internal ConcurrentDictionary<string, SimTask> Tasks { get; } = new();

    internal ConcurrentDictionary<string, (string Name, string Mime, byte[] Bytes, DateTimeOffset Expires)> Files { get; } = new();

    /// <summary>Files the files API holds now.</summary>
    public int FileCount => Files.Count;

    internal ConcurrentQueue<CallbackRecord> Callbacks { get; } = new();

    /// <summary>Every ModelArk batch so far (streamed or not), for tests to read the order of its images and events.</summary>
    internal ConcurrentQueue<BatchRecord> Batches { get; } = new();

    /// <summary>Dollars charged since the last reset.</summary>
    public decimal Spent
    {
        get { lock (_faultLock) return _spent; }
    }

    /// <summary>Images billed per gateway since the last reset.</summary>
    public IReadOnlyDictionary<string, int> ImagesBilled => new Dictionary<string, int>(_billed, StringComparer.OrdinalIgnoreCase);

    internal void Bill(string gateway, int images) => _billed.AddOrUpdate(gateway, images, (_, n) => n + images);

    /// <summary>Tasks created (and so paid for) since the last reset.</summary>
    public int TaskCount => Tasks.Count;

    /// <summary>Every callback delivery attempt so far.</summary>
    public IReadOnlyList<CallbackRecord> CallbackAttempts => Callbacks.ToArray();

    /// <summary>Requests received per endpoint (evolink.create, linkmodel.query, image, …), faulted ones included.</summary>
    public IReadOnlyDictionary<string, int> Counters => new Dictionary<string, int>(_counters, StringComparer.OrdinalIgnoreCase);

    /// <summary>Requests received by one endpoint so far.</summary>
    public int Count(string target) => _counters.TryGetValue(target, out int n) ? n : 0;

    internal void CountRequest(string target) => _counters.AddOrUpdate(target, 1, (_, n) => n + 1);

    /// <summary>Adds faults; they hit matching requests in the order given.</summary>
    public void AddFaults(IEnumerable<FaultRule> rules)
    {
        lock (_faultLock) _faults.AddRange(rules);
    }

    /// <summary>Forgets every fault, task, file, counter and charge.</summary>
    public void Reset()
    {
        lock (_faultLock) _faults.Clear();
        _counters.Clear();
        Tasks.Clear();
        Files.Clear();
        Callbacks.Clear();
        Batches.Clear();
        _billed.Clear();
        lock (_faultLock) _spent = 0;
    }

    /// <summary>Takes the first rule matching <paramref name="target"/> among <paramref name="kinds"/>, using up one of its hits.</summary>
    internal FaultRule? TakeFault(string target, params FaultKind[] kinds)
    {
        lock (_faultLock)
        {
            var rule = _faults.FirstOrDefault(f => f.Matches(target) && kinds.Contains(f.Kind));
            if (rule == null) return null;
            if (rule.Times > 0 && --rule.Times == 0) _faults.Remove(rule);
            return rule;
        }
    }

    /// <summary>Charges <paramref name="amount"/> if the balance allows.</summary>
    internal bool TryCharge(decimal amount)
    {
        lock (_faultLock)
        {
            if (_spent + amount > Options.Balance) return false;
            _spent += amount;
            return true;
        }
    }

    /// <summary>Gives back what was charged for images that were not delivered (a stream broken off).</summary>
    internal void Refund(decimal amount)
    {
        lock (_faultLock) _spent -= amount;
    }
}
