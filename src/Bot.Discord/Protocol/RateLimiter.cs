using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using Bot.Core.Limits;

namespace Bot.Discord.Protocol;

/// <summary>
/// Discord's rate limits as the response headers describe them: a bucket per route and major
/// parameter (learned from X-RateLimit-Bucket), plus the global 50 requests per second. Requests in
/// one bucket go one at a time, so "remaining" is always current; different buckets run in parallel.
/// Several instances posting with one token either split the global rate (<paramref name="globalPerSecond"/>
/// is this instance's part) or also take each global request's turn from the store's <paramref name="shared"/> budget.
/// </summary>
internal sealed class RateLimiter(TimeProvider time, int globalPerSecond = RateLimiter.GlobalPerSecond, DiscordSharedBudget? shared = null) : IDisposable
{
    public const int GlobalPerSecond = 50;
    private static readonly TimeSpan ResetMargin = TimeSpan.FromMilliseconds(50);

    private readonly ConcurrentDictionary<string, string> _bucketOfRoute = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _globalGate = new(1, 1);
    private readonly Queue<long> _globalSent = new();
    private int _globalInFlight;
    private long _globalBlockedUntil;

    public sealed class Bucket
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public int Remaining { get; set; } = 1;
        public long ResetAt { get; set; }
    }

    /// <summary>The bucket for a route ("POST /channels/{id}/messages") and its major parameter.</summary>
    public Bucket For(string route, string majorParameter)
    {
        var hash = _bucketOfRoute.GetValueOrDefault(route, route);
        return _buckets.GetOrAdd($"{hash}:{majorParameter}", _ => new Bucket());
    }

    /// <summary>Waits until the bucket has room; call with the bucket's gate held.</summary>
    public async Task WaitForBucketAsync(Bucket bucket, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (bucket.Remaining <= 0 && bucket.ResetAt > now)
            await Task.Delay(time.GetElapsedTime(now, bucket.ResetAt), time, cancellationToken);
    }

    /// <summary>
    /// Waits for a slot under the global limit (interaction routes are exempt and skip this). A request
    /// counts from when it starts until a second after its response: Discord counts by arrival, which
    /// lies somewhere in between, so however late a busy machine sends, no Discord second sees more
    /// than the limit. With a shared budget the same holds across instances through the store's places.
    /// Dispose the slot when the response is in.
    /// </summary>
    /// <param name="lease">The longest the request can take: a shared place this process never gives back frees after it.</param>
    public async Task<IAsyncDisposable> AcquireGlobalAsync(TimeSpan lease, CancellationToken cancellationToken)
    {
        await _globalGate.WaitAsync(cancellationToken);
        try
        {
            await WaitForLocalRoomAsync(cancellationToken);
            // Inside the gate: while this request waits for a shared place, this instance's others would only poll the store too.
            var place = shared is null ? null : await shared.TakeGlobalPlaceAsync(lease, cancellationToken);
            lock (_globalSent) _globalInFlight++;
            return new GlobalSlot(this, place);
        }
        finally
        {
            _globalGate.Release();
        }
    }

    private async Task WaitForLocalRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var now = time.GetTimestamp();
            if (_globalBlockedUntil > now)
            {
                await Task.Delay(time.GetElapsedTime(now, _globalBlockedUntil), time, cancellationToken);
                continue;
            }

            TimeSpan wait;
            lock (_globalSent)
            {
                while (_globalSent.Count > 0 && time.GetElapsedTime(_globalSent.Peek(), now) >= TimeSpan.FromSeconds(1))
                    _globalSent.Dequeue();
                if (_globalInFlight + _globalSent.Count < globalPerSecond) return;

                // Full of requests still in flight: check again shortly; else when the oldest second expires.
                wait = _globalSent.Count > 0 ? TimeSpan.FromSeconds(1) - time.GetElapsedTime(_globalSent.Peek(), now) : TimeSpan.FromMilliseconds(5);
            }

            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time, cancellationToken);
        }
    }

    private async ValueTask CompleteAsync(RatePlace? place)
    {
        lock (_globalSent)
        {
            _globalInFlight--;
            _globalSent.Enqueue(time.GetTimestamp());
        }

        if (place is { } taken && shared is not null) await shared.GiveBackAsync(taken);
    }

    private sealed class GlobalSlot(RateLimiter owner, RatePlace? place) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) await owner.CompleteAsync(place);
        }
    }

    /// <summary>Learns from a response's X-RateLimit-* headers.</summary>
    public void Update(string route, string majorParameter, Bucket bucket, HttpResponseHeaders headers)
    {
        if (Header(headers, "X-RateLimit-Bucket") is { } hash && _bucketOfRoute.GetValueOrDefault(route) != hash)
        {
            // From now on the route is known by Discord's bucket id; the state learned so far moves with it.
            _bucketOfRoute[route] = hash;
            _buckets.TryAdd($"{hash}:{majorParameter}", bucket);
        }

        if (int.TryParse(Header(headers, "X-RateLimit-Remaining"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining))
            bucket.Remaining = remaining;
        // Reset-After is rounded to milliseconds; a small margin keeps the next request from landing just before the reset.
        if (double.TryParse(Header(headers, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var resetAfter))
            bucket.ResetAt = time.GetTimestamp() + (long)((resetAfter + ResetMargin.TotalSeconds) * time.TimestampFrequency);
    }

    public void BlockBucket(Bucket bucket, TimeSpan retryAfter)
    {
        bucket.Remaining = 0;
        bucket.ResetAt = time.GetTimestamp() + (long)(retryAfter.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Discord has the whole bot on hold (a global 429): any request now only earns another 429.</summary>
    public bool GloballyBlocked => Interlocked.Read(ref _globalBlockedUntil) > time.GetTimestamp();

    public async Task BlockGlobalAsync(TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _globalBlockedUntil, time.GetTimestamp() + (long)(retryAfter.TotalSeconds * time.TimestampFrequency));
        if (shared is not null) await shared.HoldGlobalAsync(retryAfter, cancellationToken);
    }

    public void Dispose()
    {
        _globalGate.Dispose();
        foreach (var bucket in _buckets.Values) bucket.Gate.Dispose();
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
