using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Modular.BuildingBlocks.Composition.Http;
using Modular.BuildingBlocks.Composition.Messaging;
using Modular.BuildingBlocks.Composition.Modules;

namespace Modular.BuildingBlocks.Composition.GrpcApi;

/// <summary>
/// What every gRPC call gets, as every REST request does: the input rules (a string with a control character is
/// refused before any handler runs, naming the field), and an exception that escapes is answered in the REST error
/// model's words (<see cref="ProblemDetailsExceptionHandler.Classify(Exception, IReadOnlyList{Persistence.UniqueValue}?)"/>
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
            foreach (var (path, value) in GrpcProblems.Strings(message))
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Transient fault on gRPC {Method}: answered Unavailable")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on gRPC {Method}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method);
}
