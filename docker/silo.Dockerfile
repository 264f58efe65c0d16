# A standalone silo with its mediasoup workers. Build from the repository root:
#   docker build -f docker/silo.Dockerfile -t coordinator-silo .

# --- mediasoup 2.6.19 worker --------------------------------------------------------------------
# mediasoup 2.x builds its C++ worker with a bundled gyp that runs only on Python 2, which the
# .NET images' distributions no longer package; Debian 11 (bullseye) still has python2. So the
# worker is built in its own stage, as scripts/build-worker.sh does it: the npm tarball (checked
# against its sha1), then `make Release` in its worker/ folder. The binary needs only libc and
# libstdc++ at run time.
FROM node:16-bullseye AS worker
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python2 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
RUN npm pack --silent mediasoup@2.6.19 \
    && echo "feba9a99aa8521fdbb4ece8c84091040ba749564  mediasoup-2.6.19.tgz" | sha1sum -c - \
    && tar -xzf mediasoup-2.6.19.tgz \
    && make -C package/worker Release PYTHON=python2 CORES="$(nproc)" \
    && install -D -m 0755 package/worker/out/Release/mediasoup-worker /out/mediasoup-worker \
    && strip /out/mediasoup-worker

# --- .NET build ---------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release -o /app

# --- runtime ------------------------------------------------------------------------------------
# ASP.NET runtime: the silo serves /metrics and /health/live (Telemetry__SiloHttpPort) with Kestrel.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app ./
COPY --from=worker /out/mediasoup-worker /opt/mediasoup/mediasoup-worker
# RTC sockets bind on every interface; set MediaWorkers__RtcAnnouncedIPv4 to the address clients reach.
ENV MediaWorkers__BinaryPath=/opt/mediasoup/mediasoup-worker \
    MediaWorkers__RtcIPv4=true \
    MediaWorkers__RtcMinPort=40000 \
    MediaWorkers__RtcMaxPort=40099 \
    Telemetry__SiloHttpAddress=0.0.0.0
# 11111 silo-to-silo, 30000 gateways (Orleans clients), 9464 /metrics and /health/live, then the workers' RTC ports.
EXPOSE 11111 30000 9464 40000-40099/udp 40000-40099/tcp
# The non-root user that the .NET images provide.
USER $APP_UID
ENTRYPOINT ["dotnet", "Coordinator.Silo.dll"]
