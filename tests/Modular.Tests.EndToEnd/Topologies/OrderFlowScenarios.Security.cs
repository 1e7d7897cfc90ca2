using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Modular.Tests.EndToEnd.Topologies;

/// <summary>The security rules, through the gateway, in every topology: the same answers wherever a module runs.</summary>
public abstract partial class OrderFlowScenarios<TTopology>
{
    [Fact]
    public async Task every_bad_token_is_a_401_problem_with_www_authenticate_for_local_and_forwarded_routes()
    {
        // Catalog runs in the gateway's deployment or behind it, Ordering behind it in the extracted topologies.
        foreach (var path in (string[])["/api/catalog/products", "/api/ordering/orders?customerId=mallory", "/api/payments/simulator"])
        foreach (var (kind, token) in HandMadeTokens.Bad())
        {
            var response = await SendAsAsync(token, HttpMethod.Get, path);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{kind} on {path}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            Assert.Contains("/problems/unauthorized", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task a_token_without_the_permission_is_a_403_and_another_customers_order_a_404()
    {
        var widget = await _shop.AddProductAsync($"SEC-{_run}", 4m);
        var alice = HandMadeTokens.For($"alice-{_run}", ["customer"]);
        var bob = HandMadeTokens.For($"bob-{_run}", ["customer"]);

        var placed = await SendAsAsync(alice, HttpMethod.Post, "/api/ordering/orders", AnOrder($"alice-{_run}", widget));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.Content.ReadFromJsonAsync<ShopClient.Order>())!.Id;

        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsAsync(alice, HttpMethod.Post, "/api/catalog/products",
            new { sku = $"NO-{_run}", name = "Not yours to add", price = new { amount = 1m, currency = "EUR" } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsAsync(alice, HttpMethod.Get, "/api/payments/simulator")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsAsync(bob, HttpMethod.Post, "/api/ordering/orders", AnOrder($"alice-{_run}", widget))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsAsync(bob, HttpMethod.Get, $"/api/ordering/orders/{order}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsAsync(bob, HttpMethod.Post, $"/api/ordering/orders/{order}/cancel")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsAsync(alice, HttpMethod.Get, $"/api/ordering/orders/{order}")).StatusCode);
        await _shop.WaitForOrderAsync(order, "Confirmed");
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsAsync(bob, HttpMethod.Get, $"/api/payments/orders/{order}")).StatusCode);
    }

    [Fact]
    public async Task the_caller_travels_with_the_order_to_payments_and_a_client_cannot_name_another()
    {
        var widget = await _shop.AddProductAsync($"WHO-{_run}", 6m);
        var customer = $"alice-{_run}";
        var request = Request(HandMadeTokens.For(customer, ["customer"], clientId: "shop-web"), HttpMethod.Post,
            "/api/ordering/orders", AnOrder(customer, widget));
        request.Headers.Add("user-name", "mallory"); // Wolverine's envelope header, and ours, sent by a client
        request.Headers.Add("modular-client-id", "forged");

        var placed = await _shop.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.Content.ReadFromJsonAsync<ShopClient.Order>())!.Id;

        await _shop.WaitForOrderAsync(order, "Confirmed");
        var payment = (await _shop.PaymentAsync(order))!;
        Assert.Equal((customer, "shop-web"), (payment.RequestedBy, payment.ClientId));
    }

    [Fact]
    public async Task a_replayed_dead_letter_is_still_done_for_the_customer_who_placed_the_order()
    {
        var widget = await _shop.AddProductAsync($"DL-{_run}", 8m);
        await _shop.SetSimulatorAsync(merchantMisconfigured: true);
        var customer = $"liam-{_run}";
        var placed = await SendAsAsync(HandMadeTokens.For(customer, ["customer"], clientId: "shop-web"), HttpMethod.Post,
            "/api/ordering/orders", AnOrder(customer, widget));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = (await placed.Content.ReadFromJsonAsync<ShopClient.Order>())!.Id;

        // The payment request fails for good in Payments' deployment, whose admin API lists it. The developer fixes the
        // simulator and replays what is there (the product's probe order may have failed alongside) until it is confirmed.
        var payments = topology.ProcessOf("Payments").Url;
        await ShopClient.EventuallyAsync(async () => (await _shop.LedgerAsync(order)).ChargeAttempts > 0, "the charge was never tried");
        await _shop.SetSimulatorAsync();
        await ShopClient.EventuallyAsync(async () =>
        {
            foreach (var letter in await _shop.DeadLettersAsync(payments)) await _shop.ReplayAsync(payments, letter.Id);
            return (await _shop.OrderAsync(order)).Status == "Confirmed";
        }, "the order was not confirmed after the replay");

        var payment = (await _shop.PaymentAsync(order))!;
        Assert.Equal((customer, "shop-web"), (payment.RequestedBy, payment.ClientId));
    }

    [Fact]
    public async Task a_client_over_its_rate_limit_gets_429_with_retry_after_and_other_clients_do_not()
    {
        var greedy = HandMadeTokens.For($"greedy-{_run}", ["customer"]);

        // Ten times the burst at once: however slow the machine, the bucket cannot refill that fast.
        var answers = await Task.WhenAll(Enumerable.Range(0, 20 * Topology.CatalogRateLimit)
            .Select(_ => SendAsAsync(greedy, HttpMethod.Get, "/api/catalog/products")));

        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, (HttpStatusCode[])[HttpStatusCode.OK, HttpStatusCode.TooManyRequests]));
        Assert.Equal("application/problem+json", refused[0].Content.Headers.ContentType?.MediaType);
        Assert.True(refused[0].Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("/problems/too-many-requests", await refused[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendAsAsync(HandMadeTokens.For($"patient-{_run}", ["customer"]), HttpMethod.Get, "/api/catalog/products")).StatusCode);
    }

    private static object AnOrder(string customer, Guid product) =>
        new { customerId = customer, idempotencyKey = Guid.NewGuid().ToString(), lines = new[] { new { productId = product, quantity = 1 } } };

    private HttpRequestMessage Request(string? token, HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, _shop.GatewayUrl(path)) { Content = body is null ? null : JsonContent.Create(body) };
        if (token is null) request.Options.Set(Modular.Tests.Support.BearerTokenHandler.Anonymous, true); // not even the developer's
        else request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private Task<HttpResponseMessage> SendAsAsync(string? token, HttpMethod method, string path, object? body = null) =>
        _shop.SendAsync(Request(token, method, path, body));
}

/// <summary>
/// Each module's store logs in as its own PostgreSQL role, and each deployment's shared connection as its messaging role,
/// whatever the topology; no role reaches another module's schema or another deployment's message storage, and none may
/// make roles (the deployments are given no admin login: ADR 0013).
/// </summary>
public abstract partial class OrderFlowScenarios<TTopology>
{
    private static readonly string[] Modules = ["Catalog", "Ordering", "Payments"];

    [Fact]
    public async Task every_module_store_is_connected_as_its_own_role_which_is_denied_the_other_modules_schemas()
    {
        var widget = await _shop.AddProductAsync($"ROLE-{_run}", 2m);
        await _shop.WaitForOrderAsync(await _shop.PlaceAsync($"rita-{_run}", widget, 1), "Confirmed");

        // Who is connected to the topology's database, by role: the report of what pools the topology opens.
        var connections = new Dictionary<string, long>();
        await using (var admin = new Npgsql.NpgsqlConnection(topology.DatabaseConnectionString))
        {
            await admin.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(
                "select usename, count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() group by usename", admin);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) connections[reader.GetString(0)] = reader.GetInt64(1);
        }

        output.WriteLine($"{typeof(TTopology).Name}: {string.Join(", ", connections.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))} connections");
        foreach (var module in Modules)
        {
            Assert.True(connections.ContainsKey(RoleOf(module)), $"no connection as {RoleOf(module)}");
            await using var connection = await LogInAsync(RoleOf(module));
            foreach (var other in Modules.Where(m => m != module))
                await AssertDeniedAsync(connection, $"select count(*) from {other.ToLowerInvariant()}.{await FirstTableAsync(other)}");
            // Its deployment's outbox is its to write; another deployment's message storage is out of reach.
            var home = topology.StorageSchemas.Count == 1 ? topology.StorageSchemas.Keys.Single() : topology.DeploymentOf(module);
            await ScalarAsync(connection, $"select count(*) from {topology.StorageSchemas[home]}.wolverine_outgoing_envelopes");
            foreach (var (_, schema) in topology.StorageSchemas.Where(s => s.Key != home))
                await AssertDeniedAsync(connection, $"select count(*) from {schema}.wolverine_incoming_envelopes");
        }

        foreach (var (deployment, schema) in topology.StorageSchemas)
        {
            var role = MessagingRoleOf(deployment);
            Assert.True(connections.ContainsKey(role), $"no connection as {role}");
            await using var connection = await LogInAsync(role);
            await ScalarAsync(connection, $"select count(*) from {schema}.wolverine_incoming_envelopes");
            foreach (var module in Modules)
                await AssertDeniedAsync(connection, $"select count(*) from {module.ToLowerInvariant()}.{await FirstTableAsync(module)}");
            foreach (var (_, other) in topology.StorageSchemas.Where(s => s.Key != deployment))
                await AssertDeniedAsync(connection, $"select count(*) from {other}.wolverine_incoming_envelopes");
            await AssertDeniedAsync(connection, "create role intruder login superuser");
        }
    }

    private async Task<Npgsql.NpgsqlConnection> LogInAsync(string role)
    {
        var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(topology.DatabaseConnectionString)
        {
            Username = role,
            Password = RolePassword(role),
        }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task AssertDeniedAsync(Npgsql.NpgsqlConnection connection, string sql)
    {
        var denied = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => ScalarAsync(connection, sql));
        Assert.Equal("42501", denied.SqlState); // insufficient_privilege
    }

    private async Task<string> FirstTableAsync(string module)
    {
        await using var admin = new Npgsql.NpgsqlConnection(topology.DatabaseConnectionString);
        await admin.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand($"select tablename from pg_tables where schemaname = '{module.ToLowerInvariant()}' limit 1", admin);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static string RoleOf(string module) => $"modular_{module.ToLowerInvariant()}";

    private static string MessagingRoleOf(string deployment) => $"modular_messaging_{deployment.ToLowerInvariant().Replace('-', '_')}";

    /// <summary>The documented derivation: base64url(HMAC-SHA256(role secret, role name)), unpadded.</summary>
    private static string RolePassword(string role) =>
        Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Topology.RoleSecret),
            System.Text.Encoding.UTF8.GetBytes(role))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
