using System.Text;

namespace SeedreamPS.Simulator;

/// <summary>Posts a finished task to its callback URL, as EvoLink documents: body = the task query body,
/// 10 s timeout, up to 3 retries after 1 s, 2 s and 4 s, any 2xx is success.</summary>
internal sealed class CallbackSender : BackgroundService
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly SimulatorState _state;
    private readonly HttpClient _http = new() { Timeout = System.Threading.Timeout.InfiniteTimeSpan };

    public CallbackSender(SimulatorState state) => _state = state;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var task in _state.Tasks.Values)
            {
                if (task.CallbackUrl == null || task.Phase(now) is "pending" or "processing") continue;
                if (Interlocked.CompareExchange(ref task.CallbackState, 1, 0) != 0) continue;
                _ = DeliverAsync(task, stopping);
            }
            try
            {
                await Task.Delay(100, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task DeliverAsync(SimTask task, CancellationToken stopping)
    {
        string body = EvoLinkEndpoints.TaskBody(task, _state.Options, DateTimeOffset.UtcNow).ToJsonString();
        var delays = _state.Options.CallbackRetryDelays;
        for (int attempt = 0; attempt <= delays.Length; attempt++)
        {
            if (attempt > 0) await Task.Delay(delays[attempt - 1], stopping);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                timeout.CancelAfter(Timeout);
                using var response = await _http.PostAsync(task.CallbackUrl, new StringContent(body, Encoding.UTF8, "application/json"), timeout.Token);
                _state.Callbacks.Enqueue(new CallbackRecord(task.Id, task.CallbackUrl!, attempt + 1, (int)response.StatusCode, null));
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !stopping.IsCancellationRequested)
            {
                _state.Callbacks.Enqueue(new CallbackRecord(task.Id, task.CallbackUrl!, attempt + 1, null, e.GetType().Name));
            }
        }
    }

    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }
}
