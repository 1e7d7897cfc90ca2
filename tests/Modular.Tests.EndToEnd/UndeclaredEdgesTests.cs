namespace Modular.Tests.EndToEnd;

/// <summary>The suite-wide check fails a test when a process reports an undeclared edge, and only then.</summary>
public sealed class UndeclaredEdgesTests
{
    [Fact]
    public void a_process_that_logs_an_undeclared_edge_fails_the_test_it_happened_in()
    {
        var watch = new UndeclaredEdges(); // not the suite's: the tests running beside this one must not see these lines
        watch.Note("monolith", "info: Modular.Modules.Ordering.OrderConfirmed[0] Order 42 confirmed");
        watch.Check();

        // The line the product logs (console format, as the suite's processes write it), seen during a test: that test fails.
        watch.Note("core", "      Undeclared message edge: Payments sent ProductAddedEvent to Ordering, which the module map does not declare");
        var failure = Assert.Throws<Xunit.Sdk.XunitException>(watch.Check);
        Assert.Contains("core: Undeclared message edge: Payments sent ProductAddedEvent to Ordering", failure.Message, StringComparison.Ordinal);
        watch.Check(); // reported once: the next test is not blamed for it
    }
}
