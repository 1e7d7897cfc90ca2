using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Modular.Platform.Composition.Http;

namespace Modular.Platform.Composition.GrpcApi;

/// <summary>
/// Binds a module's gRPC service as Grpc.AspNetCore's own binder does (the generated <c>BindService</c>, each method's
/// override on the service class, its attributes as endpoint metadata), with one difference: a request that is not a
/// valid protobuf message answers <c>INVALID_ARGUMENT</c> with the details of any other refusal (<see cref="GrpcProblems"/>).
/// gRPC reads the request before any interceptor runs, and the parser's exception would otherwise end the call as
/// <c>UNKNOWN</c>, the code of a server fault.
/// </summary>
internal sealed class StrictRequestMethods<TService> : IServiceMethodProvider<TService> where TService : class
{
    public const string NotProtobuf = "The request is not a valid protobuf message of the method's request type.";

    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        for (var type = typeof(TService); type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false) is not { } binding) continue;
            var bind = binding.BindType.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m =>
                m.Name == binding.BindMethodName && m.GetParameters() is [var first, _] && first.ParameterType == typeof(ServiceBinderBase));
            bind.Invoke(null, [new Binder(context, type), null]);
            return;
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type serviceBase) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var implementation = Implementation(method.Name, [typeof(TRequest), typeof(ServerCallContext)]);
            context.AddUnaryMethod(Strict(method), Metadata(implementation),
                implementation.CreateDelegate<UnaryServerMethod<TService, TRequest, TResponse>>());
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var implementation = Implementation(method.Name, [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
            context.AddServerStreamingMethod(Strict(method), Metadata(implementation),
                implementation.CreateDelegate<ServerStreamingServerMethod<TService, TRequest, TResponse>>());
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var implementation = Implementation(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)]);
            context.AddClientStreamingMethod(Strict(method), Metadata(implementation),
                implementation.CreateDelegate<ClientStreamingServerMethod<TService, TRequest, TResponse>>());
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var implementation = Implementation(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
            context.AddDuplexStreamingMethod(Strict(method), Metadata(implementation),
                implementation.CreateDelegate<DuplexStreamingServerMethod<TService, TRequest, TResponse>>());
        }

        /// <summary>The service's override of the generated base's method (the base's own answers UNIMPLEMENTED).</summary>
        private MethodInfo Implementation(string name, Type[] parameters) =>
            typeof(TService).GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters) is { } method
            && method.GetBaseDefinition().DeclaringType == serviceBase
                ? method
                : throw new InvalidOperationException($"{typeof(TService).Name} has no method {name} of {serviceBase.Name}.");

        /// <summary>The class's attributes, then the method's (which win: [Authorize(permission)] and the like).</summary>
        private static List<object> Metadata(MethodInfo implementation) =>
        [
            .. typeof(TService).GetCustomAttributes(inherit: true),
            .. implementation.GetCustomAttributes(inherit: true),
            new HttpMethodMetadata(["POST"], acceptCorsPreflight: true),
        ];

        private static Method<TRequest, TResponse> Strict<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class where TResponse : class
        {
            var read = method.RequestMarshaller.ContextualDeserializer;
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name,
                Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
                {
                    try
                    {
                        return read(context);
                    }
                    catch (InvalidProtocolBufferException)
                    {
                        // As REST refuses a body that is not JSON: invalid-request, the body as the field.
                        throw GrpcProblems.ToException(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [NotProtobuf] })
                        {
                            Type = ProblemTypes.InvalidRequest.Uri, Status = ProblemTypes.InvalidRequest.Status, Title = ProblemTypes.InvalidRequest.Title,
                        });
                    }
                }),
                method.ResponseMarshaller);
        }
    }
}
