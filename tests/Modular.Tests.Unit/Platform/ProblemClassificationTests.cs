using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Modular.Platform.Composition.Http;
using Modular.Platform.Composition.Messaging;
using Modular.Platform.Composition.Persistence;
using Npgsql;

namespace Modular.Tests.Unit.Platform;

public sealed class ProblemClassificationTests
{
    [Fact]
    public void unreadable_json_is_the_clients_fault() =>
        Assert.Equal(400, ProblemDetailsExceptionHandler.Classify(new JsonException("bad", "$.price", 1, 2)).Status);

    [Fact]
    public void a_wrong_media_type_is_a_415() =>
        Assert.Equal(415, ProblemDetailsExceptionHandler.Classify(new BadHttpRequestException("no", 415)).Status);

    [Fact]
    public void a_body_that_came_too_slowly_is_a_408_to_send_again()
    {
        var problem = ProblemDetailsExceptionHandler.Classify(new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly.", 408));

        Assert.Equal((408, ProblemTypes.RequestTimeout.Title), (problem.Status, problem.Title));
        Assert.Equal(ProblemTypes.RequestTimeout, ProblemTypes.ForStatus(408));
    }

    [Fact]
    public void a_unique_violation_found_inside_wrapping_exceptions_is_a_409()
    {
        var unique = new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation);

        Assert.Equal(409, ProblemDetailsExceptionHandler.Classify(new InvalidOperationException("outer", unique)).Status);
    }

    [Fact]
    public void a_unique_key_taken_meanwhile_is_a_race_to_run_again_unless_a_module_declared_the_value_unique()
    {
        var unique = new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation,
            constraintName: "pkey_mt_streams_id");
        var declared = new UniqueValue("catalog_product_sku", "SKU already in use.", "Choose another.");

        Assert.True(WriteConflicts.IsConflict(new InvalidOperationException("outer", unique)));
        Assert.Null(UniqueValue.TakenIn(unique, [declared])); // so WriteRequests runs it again
    }

    [Fact]
    public void a_value_a_module_declared_unique_is_answered_in_the_modules_words_even_when_marten_calls_it_a_duplicate_document()
    {
        var declared = new UniqueValue("catalog_product_sku", "SKU already in use.", "Choose another.");
        var taken = new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation,
            tableName: "mt_doc_product", constraintName: "catalog_product_sku");
        var asMartenReportsIt = new JasperFx.DocumentAlreadyExistsException(taken, typeof(object), Guid.NewGuid());

        var problem = ProblemDetailsExceptionHandler.Classify(asMartenReportsIt, [declared]);

        Assert.Equal((409, "SKU already in use.", "Choose another."), (problem.Status, problem.Title, problem.Detail));
        Assert.Equal(declared, UniqueValue.TakenIn(asMartenReportsIt, [declared]));
        Assert.Null(UniqueValue.TakenIn(asMartenReportsIt, [declared with { Index = "other_index" }]));
    }

    [Theory]
    [InlineData(PostgresErrorCodes.CannotConnectNow)] // 57P03: the database is starting up
    [InlineData(PostgresErrorCodes.AdminShutdown)] // 57P01: it is shutting down
    public void a_database_restarting_is_a_503_naming_no_internals(string sqlState)
    {
        var restarting = new PostgresException("the database system is starting up", "FATAL", "FATAL", sqlState);

        var problem = ProblemDetailsExceptionHandler.Classify(new InvalidOperationException("wrapped", restarting));

        Assert.Equal(503, problem.Status);
        Assert.DoesNotContain("database system", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void a_connection_broken_under_a_transaction_is_transient_a_programming_error_is_not()
    {
        Assert.True(TransientFaults.IsTransient(new ObjectDisposedException("NpgsqlTransaction")));
        Assert.True(TransientFaults.IsTransient(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.False(TransientFaults.IsTransient(new ObjectDisposedException("SomethingElse")));
        Assert.False(TransientFaults.IsTransient(new PostgresException("syntax", "ERROR", "ERROR", PostgresErrorCodes.SyntaxError)));
        Assert.False(TransientFaults.IsTransient(new ArgumentException("bad")));
    }

    [Fact]
    public void a_stream_collision_is_a_write_conflict_whichever_library_names_it()
    {
        Assert.True(WriteConflicts.IsConflict(new Marten.Exceptions.ExistingStreamIdCollisionException(Guid.NewGuid(), typeof(object))));
        Assert.True(WriteConflicts.IsConflict(new JasperFx.Events.ExistingStreamIdCollisionException(Guid.NewGuid(), typeof(object))));
        Assert.Equal(409, ProblemDetailsExceptionHandler.Classify(
            new InvalidOperationException("outer", new Marten.Exceptions.ExistingStreamIdCollisionException(Guid.NewGuid(), typeof(object)))).Status);
        Assert.False(WriteConflicts.IsConflict(new InvalidOperationException("no")));
    }

    [Fact]
    public void anything_else_is_a_500_that_says_nothing_of_the_cause()
    {
        var problem = ProblemDetailsExceptionHandler.Classify(new InvalidOperationException("secret connection string"));

        Assert.Equal(500, problem.Status);
        Assert.Null(problem.Detail);
    }

    [Theory]
    [InlineData("AddProductEndpoint", "AddProduct")]
    [InlineData("Health", "Health")]
    public void operation_ids_are_endpoint_class_names_without_the_suffix(string typeName, string operationId) =>
        Assert.Equal(operationId, ModuleEndpointPolicy.OperationIdFor(typeName));

    [Fact]
    public void summaries_read_as_sentences() =>
        Assert.Equal("Change product price", ModuleEndpointPolicy.SummaryFor("ChangeProductPrice"));

    [Fact]
    public void field_errors_become_a_validation_problem_listing_each_field()
    {
        var problem = new FieldErrors().Add("name", "required").Add("name", "too long").When(true, "sku", "bad").ToProblem();

        var validation = Assert.IsType<HttpValidationProblemDetails>(problem);
        Assert.Equal(400, validation.Status);
        Assert.Equal(["required", "too long"], validation.Errors["name"]);
        Assert.Equal(["bad"], validation.Errors["sku"]);
    }
}
