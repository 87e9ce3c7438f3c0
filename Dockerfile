FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# pg_dump and pg_restore for manage.py backup and restore, from PostgreSQL's own apt repository so their major
# version is the db service's (docker-compose.yml: postgres:16): an older pg_dump refuses a newer server.
ARG PG_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml requirements.lock README.md ./
# Exactly what the lock pins, checked by hash; then the project itself, with nothing more.
RUN pip install --no-cache-dir --require-hashes --only-binary :all: -r requirements.lock \
    && pip install --no-cache-dir --no-deps --no-build-isolation -e . \
    && useradd --create-home --uid 1000 cohort
COPY . .
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput && mkdir -p /app/var/media /app/var/backups && chown -R cohort /app/var
USER cohort
EXPOSE 8000
CMD ["gunicorn", "cohort_site.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
