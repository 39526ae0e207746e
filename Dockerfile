# The bot in a container: built in one stage, run as an unprivileged user in a slim one.
#   docker build -t community-bot .
#   docker run -d --name bot -p 8080:8080 -v bot-data:/data \
#     -e DISCORD_TOKEN=... -e SLACK_BOT_TOKEN=... -e SLACK_APP_TOKEN=... community-bot
# A config file goes in with `-v ./config.toml:/etc/community-bot/config.toml:ro` and
# `--config /etc/community-bot/config.toml` before `serve` (see README, "Running it for real").

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p bot

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin bot \
 && mkdir -p /data /etc/community-bot \
 && chown bot:bot /data
COPY --from=build /src/target/release/bot /usr/local/bin/bot
USER bot
WORKDIR /data
# The store (and the knowledge base the binary carries, unpacked on first start).
VOLUME ["/data"]
# The web side: feeds, dashboard, /health, /metrics, Slack HTTP endpoints.
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["bot", "--data", "/data", "health"]
ENTRYPOINT ["bot", "--data", "/data", "--listen", "0.0.0.0:8080"]
CMD ["serve"]
