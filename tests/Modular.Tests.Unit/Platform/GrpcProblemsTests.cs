using Google.Rpc;
using Grpc.Core;
using Modular.Platform.Composition.GrpcApi;
using Modular.Platform.Composition.Http;

namespace Modular.Tests.Unit.Platform;

public sealed class GrpcProblemsTests
{
    [Theory]
    [InlineData(400, StatusCode.InvalidArgument)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.NotFound)]
    [InlineData(409, StatusCode.Aborted)]
    [InlineData(422, StatusCode.FailedPrecondition)]
    [InlineData(429, StatusCode.ResourceExhausted)]
    [InlineData(500, StatusCode.Internal)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.DeadlineExceeded)]
    public void each_problem_status_is_the_grpc_code_clients_expect(int status, StatusCode code) =>
        Assert.Equal(code, GrpcProblems.CodeFor(status));

    [Theory]
    [InlineData("lines[0].productId", "lines[0].product_id")]
    [InlineData("customerId", "customer_id")]
    [InlineData("body", "body")]
    [InlineData("price.amount", "price.amount")]
    public void a_rest_field_name_becomes_its_proto_field_path(string rest, string proto) =>
        Assert.Equal(proto, GrpcProblems.ProtoFieldPath(rest));

    [Fact]
    public void a_field_problem_carries_its_kind_title_detail_and_violations()
    {
        var problem = new FieldErrors().Add("lines[1].quantity", "A quantity is between 1 and 1000.").ToProblem();
        problem.Detail = new string('x', 400);

        var error = GrpcProblems.ToException(problem);

        var status = error.GetRpcStatus()!;
        var info = status.GetDetail<ErrorInfo>();
        Assert.Equal((StatusCode.InvalidArgument, "One or more fields are invalid."), (error.StatusCode, status.Message));
        Assert.Equal(("invalid-request", "/problems/invalid-request", "400"), (info.Reason, info.Metadata["type"], info.Metadata["status"]));
        Assert.Equal(301, info.Metadata["detail"].Length); // cut as REST's detail is
        var violation = Assert.Single(status.GetDetail<BadRequest>().FieldViolations);
        Assert.Equal(("lines[1].quantity", "A quantity is between 1 and 1000."), (violation.Field, violation.Description));
    }

    [Fact]
    public void no_problems_throws_nothing_and_a_problem_throws_its_rpc_exception()
    {
        GrpcProblems.ThrowIfAny(Wolverine.Http.WolverineContinue.NoProblems);

        var error = Assert.Throws<RpcException>(() => GrpcProblems.ThrowIfAny(Problems.NotFound("Order", Guid.Empty)));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Null(error.GetRpcStatus()!.GetDetail<BadRequest>());
    }
}
