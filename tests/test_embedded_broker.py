"""The embedded mode's broker keeps its files under VAR_DIR, never in the checkout.

kombu's filesystem transport writes an exchange table for every exchange it binds
(``celery.exchange`` when the web process or the worker declares the queue,
``celery.pidbox.exchange`` for the worker's remote control) into a ``control``
folder of the working directory unless told otherwise: a laptop that ran
``make demo`` had them in ``git status``, and they were once committed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from congress.celery import app

pytestmark = pytest.mark.skipif(
    bool(settings.BROKER_URL), reason="a Redis broker: the filesystem transport is not in use"
)


@pytest.fixture
def elsewhere(tmp_path: Path) -> Iterator[Path]:
    """A working directory of its own, as the checkout would be."""
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def test_binding_the_queue_writes_its_exchange_table_under_var(elsewhere: Path) -> None:
    var = Path(settings.VAR_DIR)
    for folder in ("broker", "broker-processed"):  # as scripts/serve_embedded.sh makes them
        (var / folder).mkdir(parents=True, exist_ok=True)
    with app.connection_for_write() as connection:
        app.amqp.queues[settings.CELERY_TASK_DEFAULT_QUEUE].bind(
            connection.default_channel
        ).declare()

    assert list(elsewhere.iterdir()) == []
    table = var / "broker-control" / "celery.exchange"
    assert settings.CELERY_TASK_DEFAULT_QUEUE in table.read_text(encoding="utf-8")
