# The statute assistant: Telegram bot (long polling by default) with its search index built in.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ANONYMIZED_TELEMETRY=False \
    DATA_DIR=/app/data

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin bot
WORKDIR /app

COPY pyproject.toml README.md ./
COPY ingest ./ingest
COPY knowledge ./knowledge
COPY bot ./bot
RUN pip install --no-cache-dir . \
    && mkdir -p /app/data \
    && python -m bot index \
    && chown -R 10001:10001 /app/data

USER 10001:10001
VOLUME ["/app/data"]
HEALTHCHECK --interval=60s --timeout=30s --start-period=60s --retries=3 CMD ["python", "-m", "bot", "health"]
CMD ["python", "-m", "bot", "run"]
