# The statute assistant: the Telegram bot (long polling by default, `run --webhook` for replicas)
# with its search index built in. The base image is pinned to an exact release; PYTHON_IMAGE
# overrides it (e.g. with a digest, or a local mirror).
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm
FROM ${PYTHON_IMAGE}

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
# The LLM extra too, so that LLM_BASE_URL works in the image; webhook support is a core dependency.
# (The project itself, its dependencies bounded in pyproject.toml: DL3013 does not apply.)
# The bytecode of the sources `python -m bot` runs from (/app) is compiled here: at run time
# PYTHONDONTWRITEBYTECODE would have every start compile them again.
# hadolint ignore=DL3013
RUN python -m pip install --no-cache-dir ".[llm]" \
    && python -m compileall -q bot knowledge ingest \
    && mkdir -p /app/data \
    && python -m bot index \
    && chown -R 10001:10001 /app/data

USER 10001:10001
VOLUME ["/app/data"]
EXPOSE 8443
# Asks the running bot (its heartbeat file, in polling and webhook mode), never loads the model.
HEALTHCHECK --interval=60s --timeout=10s --start-period=120s --retries=3 \
    CMD ["python", "-m", "bot", "health"]
CMD ["python", "-m", "bot", "run"]
