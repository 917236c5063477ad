# Build: docker build -t briefing-bot .
# Run:   docker run -p 5080:5080 -v bot-data:/data --env-file config/bot.env briefing-bot
# With TLS in front: deploy/compose.yaml (the bot, its volume and Caddy).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore from the project files alone, so a change to the code reuses this layer and its packages.
COPY Directory.Build.props Directory.Packages.props .editorconfig BannedSymbols.txt ./
COPY src/Directory.Build.props src/
COPY src/Bot/Bot.csproj src/Bot/
COPY src/Bot.Core/Bot.Core.csproj src/Bot.Core/
COPY src/Bot.Storage/Bot.Storage.csproj src/Bot.Storage/
COPY src/Bot.Discord/Bot.Discord.csproj src/Bot.Discord/
COPY src/Bot.Slack/Bot.Slack.csproj src/Bot.Slack/
COPY src/Bot.Embeddings/Bot.Embeddings.csproj src/Bot.Embeddings/
COPY src/Bot.Feeds/Bot.Feeds.csproj src/Bot.Feeds/
RUN dotnet restore src/Bot/Bot.csproj
COPY src/ src/
COPY seeds/ seeds/
COPY config/ config/
RUN dotnet publish src/Bot/Bot.csproj --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The published output carries seeds/ and config/; the database lives in the volume.
# The bot listens on every interface for the platforms' requests. With no platform configured that
# is local mode, and the playground (no login) stays off on 0.0.0.0: to try it in a container, publish
# the port on the host's loopback only and say so:
#   docker run -p 127.0.0.1:5080:5080 -e Playground__AllowRemote=true -v bot-data:/data briefing-bot
ENV ASPNETCORE_URLS=http://0.0.0.0:5080 \
    Storage__Path=/data/bot.db \
    Seeds__Path=/app/seeds
RUN mkdir -p /data && chown app:app /data
VOLUME /data
USER app
EXPOSE 5080
HEALTHCHECK --interval=30s --timeout=10s --start-period=10s CMD ["dotnet", "/app/bot.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/bot.dll"]
