"""Starting the bot: long polling by default, webhook mode (for replicas) as an option."""

from __future__ import annotations

import logging

from bot import heartbeat
from bot.telegram.app import allowed_updates, build_application
from bot.telegram.webhook import WebhookConfig, run_webhook, webhook_secret
from knowledge.settings import Settings

log = logging.getLogger(__name__)


def run(settings: Settings, webhook_url: str | None = None, listen: str = "127.0.0.1", port: int = 8443) -> None:
    """Run until interrupted: polling, or a webhook server behind a TLS proxy when `webhook_url` is given."""
    application = build_application(settings, block=webhook_url is not None)
    heartbeat.start(heartbeat.heartbeat_path(settings.data_dir), lambda: application.bot_data.engine)
    if not webhook_url:
        application.run_polling(allowed_updates=allowed_updates())
        return
    configured = settings.telegram_webhook_secret
    if configured is None:
        log.warning("TELEGRAM_WEBHOOK_SECRET is not set: using a random secret for this run (one replica only)")
    secret = webhook_secret(configured.get_secret_value() if configured else None)
    config = WebhookConfig(url=webhook_url, listen=listen, port=port, secret=secret)
    run_webhook(application, config)
