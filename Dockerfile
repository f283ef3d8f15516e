# One image for every process of the production stack (web, worker, beat,
# migrate); docker-compose.yml picks the command. There is deliberately no
# HEALTHCHECK here: it would also apply to the worker and beat containers,
# which serve no HTTP. The web healthcheck lives in docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# gettext provides msgfmt for compilemessages below; Pango and the CJK fonts let
# WeasyPrint render the printable posters and contact cards as PDF (without
# them the pages fall back to print-ready HTML).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# A fixed uid so that files on the named volumes keep one owner across rebuilds.
RUN groupadd --system --gid 10001 congress \
    && useradd --system --uid 10001 --gid congress --home-dir /app \
        --shell /usr/sbin/nologin congress

# Dependencies get their own layer, so a code change does not reinstall them.
# Installed from pyproject.toml alone, `pip install .` pulls every pinned
# dependency but no project code (its package patterns match nothing yet).
# That is what we want: the code runs from /app, not site-packages, because
# settings find templates/, static/ and locale/ relative to the congress package.
COPY pyproject.toml /tmp/deps/
RUN pip install /tmp/deps && rm -rf /tmp/deps

WORKDIR /app
COPY . .

ENV PYTHONPATH=/app \
    VAR_DIR=/var/lib/congress \
    MEDIA_ROOT=/var/lib/congress/media \
    STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3

# collectstatic must run with DEBUG off: only then do settings select
# WhiteNoise's manifest storage, which is what the running site reads. The
# secret key is a throwaway that exists only for this step; the real one comes
# from the environment at run time.
RUN DEBUG=0 SECRET_KEY=build-time-only-not-used-at-run-time \
        python manage.py collectstatic --noinput \
    && DEBUG=0 SECRET_KEY=build-time-only-not-used-at-run-time \
        python manage.py compilemessages \
    && mkdir -p /var/lib/congress/media \
    && chown -R congress:congress /var/lib/congress

USER congress
EXPOSE 8000

# gunicorn reads its worker count from WEB_CONCURRENCY (set it in .env to
# override). Its heartbeat files go to /dev/shm because /tmp in a container is
# an overlay filesystem whose writes can stall the workers.
CMD ["gunicorn", "congress.wsgi:application", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm"]
