#!/bin/sh
# One process of the topology (README, "Running many processes"): web | worker | beat | migrate.
#
# With METRICS_MULTIPROC_ROOT set, each web or worker process group writes its Prometheus
# files to a directory of its own under it (named after the host: process ids repeat across
# containers), emptied at start; /metrics on any web process merges them all.
set -eu
role="${1:?usage: deploy/run.sh web|worker|beat|migrate}"

metrics_dir() {
    if [ -n "${METRICS_MULTIPROC_ROOT:-}" ]; then
        PROMETHEUS_MULTIPROC_DIR="$METRICS_MULTIPROC_ROOT/${METRICS_GROUP:-$role-$(hostname)}"
        export PROMETHEUS_MULTIPROC_DIR
        rm -rf "$PROMETHEUS_MULTIPROC_DIR"
        mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
    fi
}

case "$role" in
    migrate)
        exec python manage.py migrate --noinput ;;
    web)
        python manage.py collectstatic --noinput >/dev/null
        metrics_dir
        exec gunicorn -c config/gunicorn.py config.wsgi:application ;;
    worker)
        metrics_dir
        exec celery -A config worker --loglevel="${LOG_LEVEL:-INFO}" ;;
    beat)
        # Exactly one beat in the whole deployment, or every periodic job runs once per beat.
        exec celery -A config beat --loglevel="${LOG_LEVEL:-INFO}" --schedule /tmp/celerybeat-schedule ;;
    *)
        echo "unknown role: $role" >&2; exit 2 ;;
esac
