ARG BASE_IMAGE=python:3.12-slim
FROM ${BASE_IMAGE} AS build
# Build stage: a self-contained virtual environment in /opt/venv with the pinned dependencies
# (requirements.lock) and RunBack itself, installed as a regular (non-editable) wheel.
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/venv
WORKDIR /src
# Dependencies first, in their own layer: rebuilt only when the lock file or pyproject.toml changes.
# requirements.lock also pins the dev tools (pytest, mypy, ruff, hypothesis: about 100 MB), so the image takes
# only the runtime part of it: pyproject's [project] dependencies, every version held to the lock's pin.
COPY requirements.lock pyproject.toml README.md ./
RUN python3 -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/runtime-requirements.txt \
 && /opt/venv/bin/pip install -c requirements.lock -r /tmp/runtime-requirements.txt \
 && /opt/venv/bin/pip freeze --exclude pip --exclude setuptools > /tmp/installed.txt \
 && python3 -c "import re, sys; n = lambda line: re.sub(r'[-_.]+', '-', line.strip().lower()); \
lock = {n(line) for line in open('requirements.lock') if line[:1].isalnum()}; \
extra = [line.strip() for line in open('/tmp/installed.txt') if n(line) not in lock]; \
sys.exit('installed but not pinned by requirements.lock: %s' % extra if extra else 0)"
COPY engine ./engine
COPY bot ./bot
COPY emulator ./emulator
COPY migrations ./migrations
COPY benchmarks ./benchmarks
# The gettext catalogs are compiled here, so the image ships bot/locales/*/LC_MESSAGES/runback.mo.
RUN /opt/venv/bin/pybabel compile -d bot/locales -D runback \
 && /opt/venv/bin/pip install --no-deps . \
 && /opt/venv/bin/pip check

FROM ${BASE_IMAGE}
# Runtime stage: the base Python, the venv, a non-root user and the data volume; no compilers, no source tree.
RUN groupadd --gid 10001 runback \
 && useradd --uid 10001 --gid runback --no-log-init --no-create-home --home-dir /data \
      --shell /usr/sbin/nologin runback \
 && mkdir -p /data \
 && chown runback:runback /data
COPY --from=build /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    RUNBACK_DATA_DIR=/data \
    RUNBACK_DATABASE_URL=sqlite+aiosqlite:////data/runback.db
WORKDIR /data
USER runback:runback
# The SQLite database (runback.db, plus its -wal/-shm files while the bot runs) lives here: mount a volume.
VOLUME ["/data"]
# No HTTP port in polling mode. Healthy = the database file opens read-only and has been migrated
# (`runback run` upgrades the schema at start, before it begins polling); if the bot process exits,
# the container stops, so "alive" needs no separate probe.
HEALTHCHECK --interval=60s --timeout=10s --start-period=30s --retries=3 \
  CMD ["/opt/venv/bin/python", "-c", "import os,sqlite3; p=os.environ['RUNBACK_DATA_DIR']+'/runback.db'; sqlite3.connect('file:'+p+'?mode=ro', uri=True).execute('select version_num from alembic_version').fetchone()[0]"]
# `runback run` runs the migrations itself, then polls Telegram; it needs TELEGRAM_BOT_TOKEN.
CMD ["runback", "run"]
