# The portal's image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# postgresql-client: pg_dump/pg_restore for manage.py backup/restore (bookworm's 15, as the compose server)
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation2 fonts-dejavu-core \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY dksangtao ./dksangtao
COPY accounts ./accounts
COPY submissions ./submissions
COPY councils ./councils
COPY awards ./awards
COPY fund ./fund
COPY reports ./reports
RUN pip install .
COPY . .
RUN DEBUG=false SECRET_KEY=build-only-not-used-at-runtime python manage.py collectstatic --noinput \
 && useradd --system --uid 10001 --home /app portal \
 && mkdir -p /data/media /data/beat \
 && chown -R portal /data

USER portal
ENV STATIC_ROOT=/app/var/static MEDIA_ROOT=/data/media DEBUG=false
EXPOSE 8000
# Bind, workers and the 60-second timeout: gunicorn.conf.py (long work is in Celery jobs, not pages).
CMD ["gunicorn", "dksangtao.wsgi:application", "--config", "gunicorn.conf.py"]
