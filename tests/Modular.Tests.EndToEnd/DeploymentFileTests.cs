using Modular.Tests.Support;

namespace Modular.Tests.EndToEnd;

public sealed class DeploymentFileTests
{
    [Fact]
    public async Task compose_file_is_valid_and_wires_the_app_to_its_database()
    {
        var config = (await Tool.RunAsync("docker-compose", ["-f", "compose.yaml", "config"], Tool.RepositoryRoot()))
            .EnsureSuccess("docker-compose config").Output;

        Assert.Contains("ConnectionStrings__Postgres: Host=postgres;", config, StringComparison.Ordinal);
        Assert.Contains("condition: service_healthy", config, StringComparison.Ordinal);
        Assert.Contains("target: 8080", config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task dockerfile_takes_official_images_by_default_and_runs_as_the_non_root_user()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(Tool.RepositoryRoot(), "Dockerfile"));

        Assert.Contains("ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", dockerfile, StringComparison.Ordinal);
        Assert.Contains("EXPOSE 8080", dockerfile, StringComparison.Ordinal);
    }
}
