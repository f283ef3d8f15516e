#!/usr/bin/env bash
# Embedded mode (no Redis): one Celery worker with an embedded beat on the
# filesystem broker under var/broker, so reminders and sweeps run on a laptop
# exactly as in production, plus Django's development server on PORT (default
# 8000; with DEBUG on, links and QR codes follow it unless SITE_URL is set).
# Ctrl-C stops both; so does a TERM to the process group.
set -euo pipefail
cd "$(dirname "$0")/.."
var="${VAR_DIR:-var}"
mkdir -p "$var/broker" "$var/broker-processed"
PORT="${PORT:-8000}"
export PORT
.venv/bin/celery -A congress worker --beat --pool=solo --loglevel=INFO \
  --schedule "$var/celerybeat-schedule" >"$var/celery.log" 2>&1 &
celery_pid=$!
trap 'kill "$celery_pid" 2>/dev/null || true' EXIT INT TERM
echo "Celery worker + beat running (log: $var/celery.log)."
echo "Open http://127.0.0.1:${PORT}/ and log in with a demo account printed above."
.venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
