# Production image: gunicorn on $PORT (7860 by default, as Hugging Face Spaces expects).
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH" \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=7860

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential default-libmysqlclient-dev pkg-config \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# /metrics: the Prometheus files of every process (docker-compose.yml mounts a shared volume there).
RUN useradd --create-home --uid 1000 agm && mkdir -p /app/staticfiles /app/media /metrics \
    && chown -R agm /app /metrics
USER agm

EXPOSE 7860
# Migrations and collectstatic at start: the database is only reachable at run time.
# One container alone (Hugging Face Spaces); docker-compose.yml runs the roles of deploy/run.sh.
CMD ["sh", "-c", "python manage.py migrate --noinput && exec deploy/run.sh web"]
