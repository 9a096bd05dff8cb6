from django.urls import path

from buildings import account_views, views

app_name = "buildings"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("communities/", views.community_list, name="communities"),
    path("c/<int:pk>/", views.community_detail, name="community"),
    path("c/<int:community_pk>/join/", views.join, name="join"),
    path(
        "c/<int:community_pk>/announcements/new/",
        views.community_announcement_create,
        name="community-announcement-create",
    ),
    path("join/", views.join_start, name="join-start"),
    path("me/", views.me, name="me"),
    path("me/building/", views.switch_building, name="switch-building"),
    path("me/profile/", views.profile_update, name="profile-update"),
    path("me/talents/", views.talents_update, name="talents-update"),
    path(
        "me/public-display/", views.public_display_update, name="public-display-update"
    ),
    path("me/data/", views.my_data, name="my-data"),
    path("me/leave/", views.leave, name="leave"),
    path("me/notifications/", views.notifications, name="notifications"),
    path(
        "me/notifications/settings/",
        views.notification_settings,
        name="notification-settings",
    ),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement"),
    path("buildings/<int:pk>/", views.building_detail, name="detail"),
    path("buildings/<int:pk>/edit/", views.building_edit, name="edit"),
    path("buildings/<int:pk>/todo/", views.todo, name="todo"),
    path("buildings/<int:pk>/requests/", views.join_requests, name="join-requests"),
    path(
        "buildings/<int:pk>/requests/<int:resident_pk>/<str:decision>/",
        views.decide_join,
        name="decide-join",
    ),
    path("buildings/<int:pk>/unlock/", views.unlock_phone, name="unlock"),
    path("buildings/<int:pk>/residents/", views.residents, name="residents"),
    path("buildings/<int:pk>/households/", views.households, name="households"),
    path(
        "buildings/<int:pk>/residents/<int:resident_pk>/",
        views.resident_detail,
        name="resident",
    ),
    path(
        "buildings/<int:pk>/residents/<int:resident_pk>/reset-code/",
        account_views.assisted_reset,
        name="assisted-reset",
    ),
    path(
        "buildings/<int:pk>/announcements/new/",
        views.announcement_create,
        name="announcement-create",
    ),
]
