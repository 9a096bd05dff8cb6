"""议事 URLs; proposals.urls is mounted at buildings/<int:building_pk>/."""

from django.urls import path

from proposals import deliberation_views as views

deliberation_urlpatterns = [
    path("decide/", views.decisions, name="decisions"),
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
    path("decide/proposals/<int:pk>/poll/new/", views.poll_create, name="poll-create"),
    path("decide/polls/<int:pk>/", views.poll_detail, name="poll"),
    path("decide/polls/<int:pk>/vote/", views.poll_vote, name="poll-vote"),
    path("decide/polls/<int:pk>/enter/", views.poll_enter, name="poll-enter"),
    path("decide/polls/<int:pk>/close/", views.poll_close, name="poll-close"),
    path("decide/polls/<int:pk>/poster/", views.poll_poster, name="poll-poster"),
    path("decide/meetings/", views.meeting_list, name="meetings"),
    path("decide/meetings/new/", views.meeting_create, name="meeting-create"),
    path("decide/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("decide/meetings/<int:pk>/minutes/", views.meeting_edit, name="meeting-edit"),
    path(
        "decide/meetings/<int:pk>/attendance/",
        views.meeting_attendance,
        name="meeting-attendance",
    ),
    path(
        "decide/meetings/<int:pk>/tasks/",
        views.meeting_task_create,
        name="meeting-task-create",
    ),
    path(
        "decide/meetings/<int:pk>/tasks/<int:task_pk>/done/",
        views.meeting_task_done,
        name="meeting-task-done",
    ),
    path(
        "decide/meetings/<int:pk>/notice/",
        views.meeting_notice,
        name="meeting-notice",
    ),
    path(
        "decide/meetings/<int:pk>/sign-in-sheet/",
        views.meeting_signin_sheet,
        name="meeting-signin",
    ),
    path("decide/consultations/", views.consultation_list, name="consultations"),
    path(
        "decide/consultations/new/",
        views.consultation_create,
        name="consultation-create",
    ),
    path(
        "decide/consultations/<int:pk>/",
        views.consultation_detail,
        name="consultation",
    ),
    path(
        "decide/consultations/<int:pk>/questions/",
        views.consultation_questions,
        name="consultation-questions",
    ),
    path(
        "decide/consultations/<int:pk>/answer/",
        views.consultation_answer,
        name="consultation-answer",
    ),
    path(
        "decide/consultations/<int:pk>/visit/",
        views.consultation_visit,
        name="consultation-visit",
    ),
    path(
        "decide/consultations/<int:pk>/export.csv",
        views.consultation_export,
        name="consultation-export",
    ),
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
