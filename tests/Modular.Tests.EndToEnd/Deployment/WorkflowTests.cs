using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd.Deployment;

/// <summary>
/// The GitHub Actions workflow users can adopt (<c>.github/workflows/ci.yml</c>), checked offline: against the
/// workflow schema by action-validator (from npm; make test installs it), and for running the README's test command.
/// </summary>
public sealed class WorkflowTests
{
    public const string ValidatorVariable = "MODULAR_ACTION_VALIDATOR";

    private static readonly string Workflow = Path.Combine(Tool.RepositoryRoot(), ".github", "workflows", "ci.yml");

    [Fact]
    public async Task the_workflow_is_valid_and_a_broken_one_is_refused()
    {
        var valid = await ValidateAsync(Workflow);
        Assert.True(valid.ExitCode == 0, valid.Output + valid.Error);

        // The validator can fail: the same workflow with a misspelt key is refused.
        var directory = Directory.CreateTempSubdirectory("modular-workflow.").FullName;
        try
        {
            var broken = Path.Combine(directory, "ci.yml");
            await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(Workflow)).Replace("runs-on:", "runs_on:", StringComparison.Ordinal));
            var refused = await ValidateAsync(broken);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("runs_on", refused.Output + refused.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task the_workflow_runs_the_readme_test_command_and_publishes_the_image_on_version_tags()
    {
        var workflow = Yaml.Documents(await File.ReadAllTextAsync(Workflow)).Single();
        var readme = await File.ReadAllTextAsync(Path.Combine(Tool.RepositoryRoot(), "README.md"));
        var ci = await File.ReadAllTextAsync(Path.Combine(Tool.RepositoryRoot(), ".ci", "run"));

        Assert.Contains("make test   # every test", readme, StringComparison.Ordinal);
        Assert.Contains("exec make test", ci, StringComparison.Ordinal);
        var steps = workflow.At("jobs", "test").List("steps").Cast<Dictionary<object, object>>().ToList();
        Assert.Contains(steps, s => s.Text("run") is { } run && run.EndsWith(" make test", StringComparison.Ordinal));

        // Where users run it: the SDK of global.json in every job, the container tests on the Dockerfile's official images
        // (this machine has no registry: its make test builds stand-ins instead), passed through sudo.
        foreach (var job in new[] { "test", "publish" })
            Assert.Contains(workflow.At("jobs", job).List("steps").Cast<Dictionary<object, object>>(),
                s => s.Text("uses") == "actions/setup-dotnet@v4" && s.At("with").Text("global-json-file") == "global.json");
        var makeTest = steps.Single(s => s.Text("run") is { } run && run.EndsWith(" make test", StringComparison.Ordinal));
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Tool.RepositoryRoot(), "Dockerfile"));
        foreach (var (variable, argument) in new[] { ("MODULAR_SDK_IMAGE", "SDK_IMAGE"), ("MODULAR_RUNTIME_IMAGE", "RUNTIME_IMAGE") })
        {
            Assert.Contains($"ARG {argument}={makeTest.At("env").Text(variable)}\n", dockerfile, StringComparison.Ordinal);
            Assert.Contains(variable, makeTest.Text("run"), StringComparison.Ordinal);
        }

        var publish = workflow.At("jobs", "publish");
        Assert.Equal("startsWith(github.ref, 'refs/tags/v')", publish.Text("if"));
        var run = string.Join('\n', publish.List("steps").Cast<Dictionary<object, object>>().Select(s => s.Text("run")).OfType<string>());
        Assert.Contains("docker push", run, StringComparison.Ordinal);
        Assert.Contains("modules json", run, StringComparison.Ordinal);
        Assert.Contains("contract.schema.json", run, StringComparison.Ordinal);
    }

    private static async Task<Tool.Result> ValidateAsync(string workflow)
    {
        var validator = Environment.GetEnvironmentVariable(ValidatorVariable) is { Length: > 0 } set
            ? set
            : throw new InvalidOperationException($"{ValidatorVariable} is not set: make test installs action-validator from npm.");
        return await Tool.RunAsync(validator, [workflow], timeout: TimeSpan.FromMinutes(1));
    }
}
