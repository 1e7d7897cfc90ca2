using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Modular.Platform.Composition.Http;
using Modular.Platform.Composition.Observability;
using Modular.Platform.Composition.Security;
using Wolverine;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;
using Wolverine.Runtime.Handlers;

namespace Modular.Platform.Distribution.Operations;

/// <summary>
/// A message that failed for good, as the dead-letter endpoints show it; <see cref="Sender"/> and <see cref="Module"/>:
/// its edge of the message ledger (the module that sent it, the module whose handler failed), when known.
/// </summary>
public sealed record DeadLetter(Guid Id, string MessageType, string? Destination, string ExceptionType, string ExceptionMessage,
    DateTimeOffset? FailedAt, DateTimeOffset SentAt, int ReplayCount, string? Sender = null, string? Module = null);

/// <summary>
/// <c>GET /api/admin/dead-letters</c> lists messages that failed for good (this deployment's message store);
/// <c>POST /api/admin/dead-letters/{id}/replay</c> sends one again to the handler it failed in, then drops it
/// from the list. Handlers are idempotent, so a replay that repeats work is harmless. The replay is done for the
/// original caller (<see cref="Caller"/>), not for the operator.
/// </summary>
public static class DeadLetterEndpoints
{
    public const string Route = "/api/admin/dead-letters";
    public const int MaxLimit = 500;
    public const int MaxMessageTypeLength = 500;

    internal static void MapDeadLetters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Route).WithTags("Admin").RequireAuthorization(PlatformPermissions.Admin);
        group.MapGet("", ListAsync).WithName("ListDeadLetters").WithSummary("List dead letters");
        group.MapPost("/{id:guid}/replay", ReplayAsync).WithName("ReplayDeadLetter").WithSummary("Replay a dead letter")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<IReadOnlyList<DeadLetter>>, ProblemHttpResult>> ListAsync(IWolverineRuntime runtime,
        [StringLength(MaxMessageTypeLength)] string? messageType, [Range(1, MaxLimit)] int? limit, CancellationToken ct)
    {
        var errors = new FieldErrors()
            .When(limit is < 1 or > MaxLimit, "limit", $"A page of dead letters holds 1 to {MaxLimit}.")
            .When(messageType?.Length > MaxMessageTypeLength, "messageType", $"A message type has at most {MaxMessageTypeLength} characters.");
        return errors.IsEmpty ? TypedResults.Ok(await ReadAsync(runtime, messageType, limit, ct)) : TypedResults.Problem(errors.ToProblem());
    }

    /// <summary>This deployment's dead letters, newest page first (at most <paramref name="limit"/>, 100 by default).</summary>
    public static async Task<IReadOnlyList<DeadLetter>> ReadAsync(IWolverineRuntime runtime, string? messageType, int? limit, CancellationToken ct)
    {
        var query = new DeadLetterEnvelopeQuery
        {
            PageNumber = 1,
            PageSize = Math.Clamp(limit ?? 100, 1, MaxLimit),
            MessageType = string.IsNullOrWhiteSpace(messageType) ? null! : messageType,
        };
        var results = await runtime.Storage.DeadLetters.QueryAsync(query, ct);
        return results.Envelopes.Select(e => new DeadLetter(e.Id, e.MessageType,
            e.Envelope?.Destination?.ToString(), e.ExceptionType, e.ExceptionMessage, e.FailedAt, e.SentAt, e.ReplayCount,
            e.Envelope?.Headers.GetValueOrDefault(MessageLedger.SenderHeader), e.Envelope?.Headers.GetValueOrDefault(ModuleHandlerTags.HandlerHeader))).ToList();
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ReplayAsync(Guid id, IWolverineRuntime runtime,
        HandlerGraph handlers, IMessageContext bus, CancellationToken ct)
    {
        var letter = await runtime.Storage.DeadLetters.DeadLetterEnvelopeByIdAsync(id, null!);
        if (letter?.Envelope is not { Destination: { } destination } envelope
            || ReadMessage(envelope, runtime, handlers) is not { } message)
            return TypedResults.Problem(Problems.NotFound("Dead letter", id));

        // Sent again for the caller who caused it, in the same conversation: not for the operator replaying it.
        bus.UserName = envelope.UserName;
        var options = new DeliveryOptions { CorrelationId = envelope.CorrelationId };
        if (envelope.Headers.TryGetValue(Caller.ClientIdHeader, out var client)) options.Headers[Caller.ClientIdHeader] = client;
        // Still on its edge of the message ledger: sent again by the module that sent it.
        if (envelope.Headers.TryGetValue(MessageLedger.SenderHeader, out var sender)) options.Headers[MessageLedger.SenderHeader] = sender;
        await bus.EndpointFor(destination).SendAsync(message, options);
        await runtime.Storage.DeadLetters.DiscardAsync(new DeadLetterEnvelopeQuery([id]), ct);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Dead letters are stored serialized; read the message back with the serializer that wrote it.</summary>
    private static object? ReadMessage(Envelope envelope, IWolverineRuntime runtime, HandlerGraph handlers)
    {
        if (envelope.Message is { } message) return message;
        if (envelope.Data is null || envelope.MessageType is null
            || !handlers.TryFindMessageType(envelope.MessageType, out var type)) return null;
        return runtime.Options.DetermineSerializer(envelope).ReadFromData(type, envelope);
    }
}
