using System.Collections.Concurrent;

namespace SeedreamPS.Simulator;

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
