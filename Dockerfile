# syntax=docker/dockerfile:1
# One image for every deployment: which modules a container runs is configuration (Modular:Modules or
# the topology map). Base images are build arguments so air-gapped builders can substitute their own.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
# global.json pins the developers' SDK; the image's own SDK 10 builds the same code.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY eng/publish.sh eng/
# Exactly the packages of the committed lock files (src/**/packages.lock.json), or the build stops.
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet restore src/Host/Modular.Host.csproj --locked-mode
# Release build with Wolverine's handler code generated ahead of time (no Roslyn at run time), every assembly
# compiled ahead of time too (ReadyToRun: about 0.5 s less to start, 13 MB more memory; docs/benchmarks.md).
RUN --mount=type=cache,target=/root/.nuget/packages \
    READY_TO_RUN=true bash eng/publish.sh /app /src

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Modular__GrpcUrl=http://*:8081 \
    Modular__ManagementUrl=http://*:8082 \
    Modular__Metrics__Enabled=true \
    Modular__Logging__Format=json \
    Modular__CodeGeneration=Static \
    DOTNET_gcServer=0
# 8080: HTTP (REST, Swagger, health); 8081: gRPC (HTTP/2 without TLS); 8082: operators (/ops, /api/admin, /metrics, health)
EXPOSE 8080 8081 8082
# The non-root user of the official ASP.NET images (uid 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "Modular.Host.dll"]
