"""议事 pages under decide/; included by proposals/urls.py (namespace `proposals`)."""

from django.urls import path

from proposals.deliberation import option_photos, views
from proposals.deliberation.consultations import urls as consultation_urls
from proposals.deliberation.conventions import urls as convention_urls
from proposals.deliberation.meetings import urls as meeting_urls
from proposals.deliberation.polls import urls as poll_urls
from proposals.deliberation.proposals import urls as proposal_urls
from proposals.deliberation.raising import urls as raising_urls

urlpatterns = [
    # The 议事 hub (bottom bar) is the deliberation hub; issues have their own overview.
    path("decide/", views.decisions, name="index"),
    path("decide/", views.decisions, name="decisions"),
    *proposal_urls.urlpatterns,
    *raising_urls.urlpatterns,
    *poll_urls.urlpatterns,
    *meeting_urls.urlpatterns,
    *consultation_urls.urlpatterns,
    *convention_urls.urlpatterns,
    path(
        "decide/polls/<int:pk>/photos/",
        option_photos.poll_photos,
        name="poll-photos",
    ),
    path(
        "decide/consultations/<int:pk>/photos/",
        option_photos.consultation_photos,
        name="consultation-photos",
    ),
]
