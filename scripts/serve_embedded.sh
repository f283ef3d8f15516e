#!/usr/bin/env bash
# Embedded mode (no Redis): one Celery worker with an embedded beat on the
# filesystem broker under var/broker, so reminders and sweeps run on a laptop
# exactly as in production, plus Django's development server. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/broker var/broker-processed
PORT="${PORT:-8000}"
.venv/bin/celery -A congress worker --beat --pool=solo --loglevel=INFO \
  --schedule var/celerybeat-schedule >var/celery.log 2>&1 &
celery_pid=$!
trap 'kill "$celery_pid" 2>/dev/null || true' EXIT INT TERM
echo "Celery worker + beat running (log: var/celery.log)."
echo "Open http://127.0.0.1:${PORT}/ and log in with a demo account printed above."
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
