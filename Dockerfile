# One image for every process of the production stack (web, worker, beat,
# migrate); docker-compose.yml picks the command. There is deliberately no
# HEALTHCHECK here: web, worker and beat are each checked their own way, in
# docker-compose.yml.
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
# secret key is a throwaway made for this step alone (random, as settings demand
# with DEBUG off), and the database URL one that is never opened (settings require
# one with DEBUG off; neither command connects); the real ones come from the
# environment at run time.
RUN export DEBUG=0 DATABASE_URL=sqlite:////tmp/build-only.sqlite3 \
        SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    && python manage.py collectstatic --noinput \
    && python manage.py compilemessages \
    && mkdir -p /var/lib/congress/media \
    && chown -R congress:congress /var/lib/congress

USER congress
EXPOSE 8000

# gunicorn reads its worker count from WEB_CONCURRENCY (set it in .env to
# override); the rest of its settings are in congress/gunicorn_conf.py.
CMD ["gunicorn", "-c", "python:congress.gunicorn_conf", "congress.wsgi:application"]
