# Build: docker build -t briefing-bot .
# Run:   docker run -p 5080:5080 -v bot-data:/data briefing-bot
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props Bot.sln ./
COPY src/ src/
COPY seeds/ seeds/
COPY config/ config/
RUN dotnet publish src/Bot/Bot.csproj --configuration Release --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The published output carries seeds/ and config/; the database lives in the volume.
ENV ASPNETCORE_URLS=http://0.0.0.0:5080 \
    Storage__Path=/data/bot.db \
    Seeds__Path=/app/seeds
RUN mkdir -p /data && chown app:app /data
VOLUME /data
USER app
EXPOSE 5080
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s CMD ["dotnet", "/app/bot.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/bot.dll"]
