"""The projects' periodic job (docs/livelihood-projects.md, "The daily sweep"). Thin: it
calls a service and is safe to run twice (a month's report exists once; the flag is
recounted from the rows)."""

from __future__ import annotations

from celery import shared_task

from livelihood_votes.projects import services


@shared_task(name="livelihood_votes.projects.tasks.projects_sweep")
def projects_sweep() -> int:
    """Daily: this month's report asked for from every project in implementation, and
    each one's behind-schedule flag recounted. Cost: one query for the projects in
    implementation (a city's year has tens) and a few per project."""
    return services.projects_sweep()
