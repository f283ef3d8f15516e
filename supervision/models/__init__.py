"""The supervision app's models: plans, topics and findings (topics.py); meetings, reports and evaluation votes (meetings.py)."""

from supervision.models import meetings, topics  # noqa: F401
