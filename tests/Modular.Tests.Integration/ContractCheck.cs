using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Modular.Tests.Support;

namespace Modular.Tests.Integration;

/// <summary>
/// The outermost middleware of the test host: it keeps each /api answer aside, checks it against the OpenAPI document
/// and, when the answer breaks it, throws — the test server hands the exception to the scenario, which fails with
/// what was wrong. So every request of every integration test is also a test of the document.
/// </summary>
internal sealed class ContractCheck(Func<OpenApiConformance?> contract) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, proceed) =>
        {
            var path = context.Request.Path.Value ?? "/";
            if (contract() is not { } document || !path.StartsWith("/api/", StringComparison.Ordinal))
            {
                await proceed(context);
                return;
            }

            var original = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await proceed(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            var body = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            document.Check(context.Request.Method, path, context.Response.StatusCode, context.Response.ContentType, body);
            buffer.Position = 0;
            await buffer.CopyToAsync(original);
        });
        next(app);
    };
}
