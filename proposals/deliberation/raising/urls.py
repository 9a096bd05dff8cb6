"""Raised-matter pages; included by proposals/deliberation/urls.py."""

from django.urls import path

from proposals.deliberation.raising import views

urlpatterns = [
    path("decide/raised/", views.raised_list, name="raised"),
    path("decide/raised/new/", views.raise_create, name="raise-create"),
    path("decide/raised/threshold/", views.raise_threshold, name="raise-threshold"),
    path(
        "decide/proposals/<int:pk>/cosign/",
        views.proposal_cosign,
        name="proposal-cosign",
    ),
]
