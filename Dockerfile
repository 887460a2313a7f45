# Multi-stage build of the portal (web/). For users with Docker; CI and the native path use infra/wijk.
#   docker compose -f infra/docker-compose.yml up --build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# npm pins the front-end packages that LibMan copies into wwwroot/lib during the build.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY web/Wijkmeldingen.Web.csproj web/
RUN dotnet restore web/Wijkmeldingen.Web.csproj
COPY web/ web/
COPY db/ db/
# Build first so LibMan's files exist when publish gathers wwwroot.
RUN dotnet build web/Wijkmeldingen.Web.csproj -c Release --no-restore \
 && dotnet publish web/Wijkmeldingen.Web.csproj -c Release --no-restore --no-build -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
# The runtime image has no curl or wget; bash's /dev/tcp is enough for one HTTP/1.0 request.
# /health answers 200 only when PostGIS answers and the boundaries are loaded.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Wijkmeldingen.Web.dll"]
