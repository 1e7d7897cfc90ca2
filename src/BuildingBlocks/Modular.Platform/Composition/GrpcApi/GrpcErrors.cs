using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Modular.Platform.Composition.Http;
using Modular.Platform.Composition.Messaging;
using Modular.Platform.Composition.Modules;

namespace Modular.Platform.Composition.GrpcApi;

/// <summary>
/// What every gRPC call gets, as every REST request does: the input rules (a string with a control character is
/// refused before any handler runs, naming the field), and an exception that escapes is answered in the REST error
/// model's words (<see cref="ProblemDetailsExceptionHandler.Classify(Exception, IReadOnlyList{UniqueValue}?)"/>
/// → status code + details), its details in the log only: no exception text, SQL or type name in any answer.
/// </summary>
internal sealed partial class GrpcErrors(ActiveModules modules, ILogger<GrpcErrors> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (request is IMessage message)
        {
            var errors = new FieldErrors();
            foreach (var (path, value) in Strings(message))
                errors.When(InputGuard.HasControlCharacter(value), path, "Contains a control character.");
            GrpcProblems.ThrowIfAny(errors.ToProblem());
        }

        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            var problem = ProblemDetailsExceptionHandler.Classify(e, modules.UniqueValues);
            if (problem.Status == Microsoft.AspNetCore.Http.StatusCodes.Status503ServiceUnavailable)
            {
                Persistence.ConnectionPools.NoteFailure(e);
                LogUnavailable(logger, e, context.Method);
                context.ResponseTrailers.Add("retry-after", ((int)TransientFaults.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture));
            }
            else if (problem.Status >= 500)
            {
                LogUnexpected(logger, e, context.Method);
            }

            throw GrpcProblems.ToException(problem);
        }
    }

    /// <summary>
    /// Refuses a gRPC call before it reaches its service (a middleware's refusal, such as a rate limit) the way a gRPC
    /// client reads one: a trailers-only response (HTTP 200, <c>grpc-status</c> in the headers) with the details of
    /// <see cref="GrpcProblems.ToException"/>. An HTTP error status would reach the client as a bare UNAVAILABLE or UNKNOWN.
    /// </summary>
    internal static Task RefuseCallAsync(HttpContext context, ProblemDetails problem, TimeSpan? retryAfter = null)
    {
        var error = GrpcProblems.ToException(problem, retryAfter);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)error.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(error.Status.Detail);
        foreach (var entry in error.Trailers.Where(t => t.IsBinary)) response.Headers[entry.Key] = Convert.ToBase64String(entry.ValueBytes);
        return Task.CompletedTask;
    }

    /// <summary>Every string of a request, with its proto field path (for the input rules every endpoint gets).</summary>
    private static IEnumerable<(string Path, string Value)> Strings(IMessage message, string prefix = "")
    {
        foreach (var field in message.Descriptor.Fields.InDeclarationOrder())
        {
            var path = prefix + field.Name;
            var value = field.Accessor.GetValue(message);
            switch (value)
            {
                case string text:
                    yield return (path, text);
                    break;
                case IMessage nested:
                    foreach (var inner in Strings(nested, path + ".")) yield return inner;
                    break;
                case System.Collections.IList list:
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is string item) yield return ($"{path}[{i}]", item);
                        else if (list[i] is IMessage element)
                            foreach (var inner in Strings(element, $"{path}[{i}].")) yield return inner;
                    }

                    break;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient fault on gRPC {Method}: answered Unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on gRPC {Method}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
