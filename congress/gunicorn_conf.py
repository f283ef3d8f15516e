"""gunicorn's settings for the web container: ``gunicorn -c python:congress.gunicorn_conf``.

The worker count comes from WEB_CONCURRENCY (gunicorn reads it itself).
"""

from __future__ import annotations

import gc
from typing import Any

from gunicorn.glogging import Logger

from congress.logging import redact

bind = "0.0.0.0:8000"
# Heartbeat files on /dev/shm: /tmp in a container is an overlay filesystem whose
# writes can stall the workers.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a memory filesystem, not a shared /tmp
accesslog = "-"
# Method, path, status, size and time; no query string (%(q)s, nor %(r)s, the request
# line, which holds it): a search for a citizen's phone number travels in one. No
# referer either: it may be a citizen's tracking link.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


class AccessLogger(Logger):
    """Masks the secret token of a tracking link in the logged path (congress.logging)."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact(str(atoms["U"]))
        return atoms


logger_class = AccessLogger


def post_worker_init(worker: Any) -> None:
    """Once a worker has loaded the product: import every view (the URL conf) and
    move what is alive now out of the garbage collector's sight (``gc.freeze``).

    A Django process holds some hundred thousand long-lived objects (modules,
    classes, URL patterns, compiled templates); each full collection walked them
    all and paused the worker for 60–200 ms every few hundred requests, which is
    where the public submission's p99 under load went (docs/benchmarks.md). Frozen
    objects are never collected, which is what they are: they live as long as the
    worker does."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()
