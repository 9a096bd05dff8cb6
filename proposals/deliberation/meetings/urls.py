"""Council meeting pages; included by proposals/deliberation/urls.py."""

from django.urls import path

from proposals.deliberation.meetings import change_views, views

urlpatterns = [
    path("decide/meetings/", views.meeting_list, name="meetings"),
    path("decide/meetings/new/", views.meeting_create, name="meeting-create"),
    path("decide/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("decide/meetings/<int:pk>/minutes/", views.meeting_edit, name="meeting-edit"),
    path(
        "decide/meetings/<int:pk>/change/",
        change_views.meeting_change,
        name="meeting-change",
    ),
    path(
        "decide/meetings/<int:pk>/cancel/",
        change_views.meeting_cancel,
        name="meeting-cancel",
    ),
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
]
