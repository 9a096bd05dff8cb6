"""Proposal pages; included by proposals/deliberation/urls.py."""

from django.urls import path

from proposals.deliberation.proposals import views

urlpatterns = [
    path("decide/proposals/", views.proposal_list, name="proposals"),
    path("decide/proposals/new/", views.proposal_create, name="proposal-create"),
    path("decide/proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("decide/proposals/<int:pk>/edit/", views.proposal_edit, name="proposal-edit"),
    path(
        "decide/proposals/<int:pk>/comment/",
        views.proposal_comment,
        name="proposal-comment",
    ),
    path(
        "decide/proposals/<int:pk>/status/",
        views.proposal_status,
        name="proposal-status",
    ),
]
