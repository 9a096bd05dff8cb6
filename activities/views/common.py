"""What the activity and volunteer pages share: the refusal for people who are not
residents, and showing a service's refusal as a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

# What the 403 page says, naming the rule that refused.
RESIDENTS_ONLY = gettext_lazy("Only residents of this building can do this.")


def _error(request, error: ValidationError) -> None:
    messages.error(request, error.messages[0])
