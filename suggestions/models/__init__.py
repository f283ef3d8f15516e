from suggestions.models.citizen import *  # noqa: F403
from suggestions.models.formal import *  # noqa: F403
from suggestions.models.monthly import *  # noqa: F403
