"""Starting the bot: long polling by default, a webhook as an option; the token never in logs."""

from __future__ import annotations

import logging

from bot import heartbeat
from bot.telegram.app import allowed_updates, build_application
from knowledge.settings import Settings


class RedactToken(logging.Filter):
    """Replaces the bot token in every log record (HTTP libraries log request URLs)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg, record.args = message.replace(self.token, "<token>"), None
        return True


def configure_logging(token: str) -> None:
    """INFO logs for the bot, WARNING for chatty HTTP libraries, the token redacted everywhere."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpcore", "chromadb", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    redact = RedactToken(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


def run(settings: Settings, webhook_url: str | None = None, listen: str = "0.0.0.0", port: int = 8443) -> None:
    """Run until interrupted: polling, or a webhook when `webhook_url` is given."""
    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    configure_logging(token)
    app = build_application(settings)
    heartbeat.start(heartbeat.heartbeat_path(settings.data_dir), lambda: app.bot_data.engine)
    if webhook_url:
        path = webhook_url.rstrip("/").rsplit("/", 1)[-1] or "telegram"
        app.run_webhook(
            listen=listen,
            port=port,
            url_path=path,
            webhook_url=webhook_url,
            allowed_updates=allowed_updates(),
        )
    else:
        app.run_polling(allowed_updates=allowed_updates())
