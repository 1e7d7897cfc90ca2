# syntax=docker/dockerfile:1
# One image for every deployment: which modules a container runs is configuration (Modular:Modules).
# Base images are build arguments so air-gapped builders can substitute their own copies.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
# global.json pins the developers' SDK; the image's own SDK 10 builds the same code.
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet restore src/Host/Modular.Host.csproj
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish src/Host/Modular.Host.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM ${RUNTIME_IMAGE} AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_gcServer=0
EXPOSE 8080
# The non-root user of the official ASP.NET images (uid 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "Modular.Host.dll"]
