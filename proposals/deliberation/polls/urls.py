"""Poll pages; included by proposals/deliberation/urls.py."""

from django.urls import path

from proposals.deliberation import paper
from proposals.deliberation.polls import views

urlpatterns = [
    path("decide/proposals/<int:pk>/poll/new/", views.poll_create, name="poll-create"),
    path("decide/polls/<int:pk>/", views.poll_detail, name="poll"),
    path("decide/polls/<int:pk>/vote/", views.poll_vote, name="poll-vote"),
    path("decide/polls/<int:pk>/enter/", views.poll_enter, name="poll-enter"),
    path("decide/polls/<int:pk>/close/", views.poll_close, name="poll-close"),
    path("decide/polls/<int:pk>/edit/", views.poll_edit, name="poll-edit"),
    path("decide/polls/<int:pk>/cancel/", views.poll_cancel, name="poll-cancel"),
    path("decide/polls/<int:pk>/poster/", views.poll_poster, name="poll-poster"),
    path("decide/polls/<int:pk>/ballot/", paper.poll_ballot, name="poll-ballot"),
]
