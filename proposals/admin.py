from proposals.deliberation_admin import *  # noqa: F401,F403
