"""Building convention pages; included by proposals/deliberation/urls.py."""

from django.urls import path

from proposals.deliberation.conventions import views

urlpatterns = [
    path("decide/convention/", views.convention_current, name="convention-current"),
    path("decide/conventions/<int:pk>/", views.convention_detail, name="convention"),
    path(
        "decide/conventions/<int:pk>/sign/",
        views.convention_sign,
        name="convention-sign",
    ),
    path(
        "decide/conventions/<int:pk>/paper/",
        views.convention_paper,
        name="convention-paper",
    ),
    path(
        "decide/conventions/<int:pk>/poster/",
        views.convention_poster,
        name="convention-poster",
    ),
]
