using System.Text.Json;
using Bot.Discord.Outbound;
using Bot.Discord.Protocol;
using Bot.Testing.Discord;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bot.Discord.Tests.Protocol;

public sealed class RestClientTests : IAsyncLifetime
{
    private FakeDiscordServer _discord = null!;
    private DiscordRestClient _client = null!;
    private RateLimiter _limiter = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _discord.AddChannel("111");
        _discord.AddChannel("222");
        _limiter = new RateLimiter(TimeProvider.System);
        _client = new DiscordRestClient(new HttpClient(), _limiter, TimeProvider.System,
            Options.Create(new DiscordOptions { ApplicationId = _discord.ApplicationId, BotToken = _discord.BotToken, ApiBaseUrl = _discord.ApiBaseUrl.ToString().TrimEnd('/') }),
            NullLogger<DiscordRestClient>.Instance);
    }

    public async Task DisposeAsync()
    {
        _limiter.Dispose();
        await _discord.DisposeAsync();
    }

    private static MessagePayload Payload(string text) =>
        DiscordMessageRenderer.Render(new Core.Chat.ChatMessage { Title = "Digest", Text = text }, ephemeral: false);

    [Fact]
    public async Task Create_message_sends_the_exact_request()
    {
        var sent = await _client.CreateMessageAsync("111", Payload("hello"), "nonce-1", CancellationToken.None);

        var request = Assert.Single(_discord.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v10/channels/111/messages", request.Path);
        Assert.Equal($"Bot {_discord.BotToken}", request.Headers["Authorization"]);
        Assert.StartsWith("DiscordBot (", request.Headers["User-Agent"], StringComparison.Ordinal);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("nonce-1", body.RootElement.GetProperty("nonce").GetString());
        Assert.True(body.RootElement.GetProperty("enforce_nonce").GetBoolean());
        Assert.Equal(0, body.RootElement.GetProperty("allowed_mentions").GetProperty("parse").GetArrayLength());
        Assert.Equal("Digest", body.RootElement.GetProperty("embeds")[0].GetProperty("title").GetString());
        Assert.Equal("111", sent.ChannelId);
    }

    [Fact]
    public async Task A_retried_send_with_the_same_nonce_posts_once()
    {
        var first = await _client.CreateMessageAsync("111", Payload("once"), "delivery-42", CancellationToken.None);
        var second = await _client.CreateMessageAsync("111", Payload("once"), "delivery-42", CancellationToken.None);

        Assert.Equal(first.Id, second.Id);
        Assert.Single(_discord.Messages);
    }

    [Fact]
    public async Task A_bucket_429_is_waited_out_and_retried()
    {
        _discord.Script("POST", "/channels/*/messages", ScriptedResponse.TooManyRequests(0.2));

        var sent = await _client.CreateMessageAsync("111", Payload("after the wait"), "n-429", CancellationToken.None);

        Assert.NotNull(sent.Id);
        Assert.Equal(2, _discord.Requests.Count);
        Assert.Single(_discord.Messages);
    }

    [Fact]
    public async Task A_global_429_blocks_every_route_until_it_passes()
    {
        _discord.Script("POST", "/channels/*/messages", ScriptedResponse.TooManyRequests(0.2, global: true));

        await _client.CreateMessageAsync("111", Payload("a"), "n-g1", CancellationToken.None);
        await _client.CreateMessageAsync("222", Payload("b"), "n-g2", CancellationToken.None);

        Assert.Equal(2, _discord.Messages.Count);
        // One refused request, then one each: the second channel waited out the global block instead of hitting it.
        Assert.Equal(3, _discord.Requests.Count(r => r.Path.EndsWith("/messages", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Remaining_zero_in_the_headers_makes_the_next_request_wait_instead_of_hitting_429()
    {
        _discord.SetBucket("/channels/*/messages", limit: 2, resetAfterSeconds: 0.3);

        for (var i = 0; i < 5; i++)
            await _client.CreateMessageAsync("111", Payload($"m{i}"), $"n-b{i}", CancellationToken.None);

        Assert.Equal(5, _discord.Messages.Count);
        Assert.Equal(0, _discord.InvalidRequestCount);
    }

    [Fact]
    public async Task Server_errors_and_timeouts_are_retried()
    {
        _discord.Script("POST", "/channels/*/messages", ScriptedResponse.ServerError(502));
        _discord.Script("POST", "/channels/*/messages", ScriptedResponse.ServerError(500));

        var sent = await _client.CreateMessageAsync("111", Payload("eventually"), "n-5xx", CancellationToken.None);

        Assert.NotNull(sent.Id);
        Assert.Equal(3, _discord.Requests.Count);
    }

    [Theory]
    [InlineData(50013)]
    [InlineData(50001)]
    public async Task Missing_permissions_surface_as_a_permanent_typed_error_naming_the_channel(int code)
    {
        _discord.ForbidChannel("222", code);

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => _client.CreateMessageAsync("222", Payload("x"), "n-forbidden", CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Equal("222", error.ChannelId);
        Assert.True(error.IsPermanent);
        Assert.Contains("222", error.Message, StringComparison.Ordinal);
        Assert.Single(_discord.Requests);
    }

    [Fact]
    public async Task An_unknown_channel_is_a_permanent_error()
    {
        var error = await Assert.ThrowsAsync<DiscordApiException>(() => _client.CreateMessageAsync("999", Payload("x"), "n-unknown", CancellationToken.None));

        Assert.Equal(10003, error.Code);
        Assert.True(error.IsPermanent);
    }

    [Fact]
    public async Task A_429_that_is_not_Discords_own_is_not_retried()
    {
        _discord.Script("POST", "/channels/*/messages", ScriptedResponse.CloudflareBan());

        await Assert.ThrowsAsync<DiscordUnavailableException>(() => _client.CreateMessageAsync("111", Payload("x"), "n-ban", CancellationToken.None));

        Assert.Single(_discord.Requests);
    }

    [Fact]
    public async Task Registering_the_same_command_set_twice_changes_nothing()
    {
        var registrar = new DiscordCommandRegistrar(_client, Core.Chat.CommandNames.Unchanged);

        var first = await registrar.RegisterAsync("555", CancellationToken.None);
        var second = await registrar.RegisterAsync("555", CancellationToken.None);

        Assert.Equal(8, first);
        Assert.Equal(first, second);
        Assert.Equal(1, _discord.CommandWrites);
        var request = _discord.Requests.Last();
        Assert.Equal("PUT", request.Method);
        Assert.Equal($"/api/v10/applications/{_discord.ApplicationId}/guilds/555/commands", request.Path);
        Assert.Equal(["incident", "incidents", "timeline", "onthisday", "briefing", "ask", "feeds", "Add to incident"], _discord.GuildCommands["555"].Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(["incident", "incidents", "timeline", "onthisday", "briefing", "ask", "feeds"], registrar.CommandNames);
    }

    [Fact]
    public async Task Incident_is_registered_as_subcommands_and_Add_to_incident_as_a_message_command()
    {
        await new DiscordCommandRegistrar(_client, Core.Chat.CommandNames.Unchanged).RegisterAsync("555", CancellationToken.None);

        var commands = _discord.GuildCommands["555"].ToDictionary(c => c.GetProperty("name").GetString()!);
        var incident = commands["incident"];
        var subcommands = incident.GetProperty("options").EnumerateArray().ToDictionary(o => o.GetProperty("name").GetString()!);
        Assert.Equal(["show", "list", "new", "edit", "event", "source", "history", "undo", "remove", "restore"], subcommands.Keys);
        Assert.All(subcommands.Values, o => Assert.Equal(1, o.GetProperty("type").GetInt32()));
        string[] Options(string sub) => subcommands[sub].TryGetProperty("options", out var options)
            ? options.EnumerateArray().Select(o => o.GetProperty("name").GetString()!).ToArray() : [];
        Assert.Equal(["name", "date", "text", "url"], Options("event"));
        Assert.Equal(["name", "url", "title"], Options("source"));
        Assert.Empty(Options("new"));
        bool Autocompletes(string sub) => subcommands[sub].GetProperty("options")[0].TryGetProperty("autocomplete", out var a) && a.GetBoolean();
        Assert.All(new[] { "show", "edit", "event", "source", "history", "undo", "remove" }, sub => Assert.True(Autocompletes(sub), sub));
        Assert.False(Autocompletes("restore"));
        var addToIncident = commands["Add to incident"];
        Assert.Equal(3, addToIncident.GetProperty("type").GetInt32());
        Assert.Equal("", addToIncident.GetProperty("description").GetString());
        Assert.False(addToIncident.TryGetProperty("options", out _));
    }

    [Fact]
    public async Task Global_registration_uses_the_global_route()
    {
        await new DiscordCommandRegistrar(_client, Core.Chat.CommandNames.Unchanged).RegisterAsync(null, CancellationToken.None);

        Assert.Equal($"/api/v10/applications/{_discord.ApplicationId}/commands", _discord.Requests.Last().Path);
        Assert.Equal(8, _discord.GlobalCommands.Count);
    }

    public static TheoryData<string> CraftedIds() =>
    [
        "111/../../../users/@me", "111?x=", "111#x", "..", ".", "%2e%2e", "111/", "", " 111", "111 ", "+111", "-1", "1e3", "0x1F",
        "١٢٣", "１１１", "123456789012345678901", "111\n", "111%2F..",
    ];

    [Theory]
    [MemberData(nameof(CraftedIds))]
    public async Task A_channel_id_that_is_not_a_snowflake_is_refused_before_any_request(string channel)
    {
        var error = await Assert.ThrowsAsync<DiscordInvalidIdException>(() => _client.CreateMessageAsync(channel, Payload("x"), "n-crafted", CancellationToken.None));

        Assert.Equal("channel id", error.What);
        Assert.Empty(_discord.Requests);
    }

    [Theory]
    [MemberData(nameof(CraftedIds))]
    public async Task Interaction_and_guild_ids_that_are_not_snowflakes_are_refused_before_any_request(string id)
    {
        var token = _discord.RegisterInteraction();

        await Assert.ThrowsAsync<DiscordInvalidIdException>(() => _client.InteractionCallbackAsync(id, token, "{\"type\":1}"u8.ToArray(), CancellationToken.None));
        await Assert.ThrowsAsync<DiscordInvalidIdException>(() => new DiscordCommandRegistrar(_client, Core.Chat.CommandNames.Unchanged).RegisterAsync(id, CancellationToken.None));

        Assert.Empty(_discord.Requests);
    }

    [Fact]
    public async Task An_application_id_that_is_not_a_snowflake_is_refused_before_any_request()
    {
        var client = new DiscordRestClient(new HttpClient(), _limiter, TimeProvider.System,
            Options.Create(new DiscordOptions { ApplicationId = _discord.ApplicationId + "/../../channels/111/messages?", BotToken = _discord.BotToken, ApiBaseUrl = _discord.ApiBaseUrl.ToString() }),
            NullLogger<DiscordRestClient>.Instance);

        await Assert.ThrowsAsync<DiscordInvalidIdException>(() => client.EditOriginalAsync(_discord.RegisterInteraction(), Payload("x"), CancellationToken.None));
        await Assert.ThrowsAsync<DiscordInvalidIdException>(() => new DiscordCommandRegistrar(client, Core.Chat.CommandNames.Unchanged).RegisterAsync(null, CancellationToken.None));

        Assert.Empty(_discord.Requests);
    }

    [Theory]
    [InlineData(" 123")]
    [InlineData("+123")]
    [InlineData("123/../456")]
    [InlineData("123456789012345678901")]
    public void A_configured_application_id_that_is_not_plain_digits_stops_start_up(string applicationId)
    {
        var options = new DiscordOptions { ApplicationId = applicationId, PublicKey = _discord.PublicKeyHex, BotToken = "x" };

        Assert.Equal("Discord:ApplicationId must be the numeric application id", options.FirstProblem());
    }

    [Theory]
    [InlineData("t/../../../channels/111/messages?x=#y")]
    [InlineData("a/b?c")]
    [InlineData("%2e%2e")]
    [InlineData("...")]
    [InlineData("tok en+plus&amp=1")]
    public async Task An_interaction_token_is_one_escaped_path_segment_on_every_route(string token)
    {
        _discord.RegisterInteraction(token);
        const string Id = "9400000000000000001";

        await _client.InteractionCallbackAsync(Id, token, "{\"type\":5}"u8.ToArray(), CancellationToken.None);
        await _client.EditOriginalAsync(token, Payload("edited"), CancellationToken.None);
        await _client.CreateFollowupAsync(token, Payload("followed up"), CancellationToken.None);

        var escaped = Uri.EscapeDataString(token);
        Assert.Equal(
            [$"/api/v10/interactions/{Id}/{escaped}/callback", $"/api/v10/webhooks/{_discord.ApplicationId}/{escaped}/messages/@original", $"/api/v10/webhooks/{_discord.ApplicationId}/{escaped}"],
            _discord.Requests.Select(r => r.RawTarget));
        Assert.Equal(["callback", "edit-original", "followup"], _discord.InteractionResponses.Where(r => r.InteractionToken == token).Select(r => r.Kind));
        Assert.Empty(_discord.Messages);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("")]
    public async Task A_token_that_is_empty_or_a_dot_segment_is_refused_before_any_request(string token)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _client.EditOriginalAsync(token, Payload("x"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => _client.InteractionCallbackAsync("9400000000000000001", token, "{\"type\":1}"u8.ToArray(), CancellationToken.None));

        Assert.Empty(_discord.Requests);
    }

    [Fact]
    public async Task A_briefing_for_a_channel_id_that_is_not_a_snowflake_fails_for_good_without_a_request()
    {
        var sender = new DiscordBriefingSender(_client);
        var subscription = new Core.Briefings.Subscription { Platform = "discord", Workspace = "1", Channel = "111/../../users/@me?", Kind = Core.Briefings.BriefingKind.Digest };
        var delivery = new Core.Briefings.Delivery { Id = 7, Message = new Core.Chat.ChatMessage { Title = "Digest", Text = "x" } };

        await Assert.ThrowsAsync<Core.Briefings.PermanentDeliveryException>(() => sender.SendAsync(subscription, delivery, uncertain: false, CancellationToken.None));

        Assert.Empty(_discord.Requests);
    }
}
