from proposals.deliberation_models import *  # noqa: F401,F403
