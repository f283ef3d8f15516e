"""The supervision app's models: plans, topics and findings (topics.py); meetings, reports and evaluation votes (meetings.py); department evaluations (evaluation.py)."""

from supervision.models import evaluation, meetings, monitoring, sources, topics  # noqa: F401
