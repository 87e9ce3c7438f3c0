FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
# Exactly what the lock pins, checked by hash; then the project itself, with nothing more.
RUN pip install --no-cache-dir --require-hashes --only-binary :all: -r requirements.lock \
    && pip install --no-cache-dir --no-deps --no-build-isolation -e . \
    && useradd --create-home --uid 1000 cohort
COPY . .
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput && mkdir -p /app/var/media && chown -R cohort /app/var
USER cohort
EXPOSE 8000
CMD ["gunicorn", "cohort_site.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
