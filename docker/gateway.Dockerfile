# A stateless gateway (an Orleans client of the silos; no mediasoup worker). Build from the
# repository root:
#   docker build -f docker/gateway.Dockerfile -t coordinator-gateway .

# The browser pages (clients/web): bundled from the pinned npm packages, served by the gateway.
FROM node:20-bookworm-slim AS pages
WORKDIR /src/clients/web
COPY clients/web/package.json clients/web/package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY clients/web/ ./
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
# All of src/: the gateway project references the silo project (it can also run embedded).
COPY src/ src/
# The pages are built above; BuildWebPages=false publishes that dist/ without running npm here.
COPY --from=pages /src/clients/web/dist clients/web/dist
RUN dotnet publish src/Gateway/Gateway.csproj -c Release -o /app -p:BuildWebPages=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
# The operations listener (/metrics, /health/*) listens on every interface of the container, for a
# scraper on the container network; publish it only to such a network.
ENV Node__Mode=Gateway \
    Gateway__ListenAddress="*" \
    Gateway__Port=4443 \
    Gateway__Operations__ListenAddress="*" \
    Gateway__Operations__Port=9466
# 4443 WebSocket (and /health/*, /admin), 9466 operations (/metrics, /health/*).
EXPOSE 4443 9466
# The non-root user that the .NET images provide.
USER $APP_UID
ENTRYPOINT ["dotnet", "Coordinator.Gateway.dll"]
