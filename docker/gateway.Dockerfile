# A stateless gateway (an Orleans client of the silos; no mediasoup worker). Build from the
# repository root:
#   docker build -f docker/gateway.Dockerfile -t coordinator-gateway .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
# All of src/: the gateway project references the silo project (it can also run embedded).
COPY src/ src/
RUN dotnet publish src/Gateway/Gateway.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
ENV Node__Mode=Gateway \
    Gateway__ListenAddress="*" \
    Gateway__Port=4443
EXPOSE 4443
# The non-root user that the .NET images provide.
USER $APP_UID
ENTRYPOINT ["dotnet", "Coordinator.Gateway.dll"]
