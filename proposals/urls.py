"""Mounted at buildings/<int:building_pk>/ under the namespace `proposals`."""

from proposals.deliberation import urls as deliberation_urls
from proposals.issues import urls as issue_urls

app_name = "proposals"

urlpatterns = [*issue_urls.urlpatterns, *deliberation_urls.urlpatterns]
