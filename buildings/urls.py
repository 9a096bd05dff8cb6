from django.urls import path

from buildings.views import (
    account,
    announcements,
    changes,
    community,
    inbox,
    joining,
    me,
    members,
    search,
    site,
    team,
)

app_name = "buildings"

urlpatterns = [
    path("healthz", site.healthz, name="healthz"),
    path("communities/", community.community_list, name="communities"),
    path("c/<int:pk>/", community.community_detail, name="community"),
    path("c/<int:community_pk>/join/", joining.join, name="join"),
    path(
        "c/<int:community_pk>/announcements/new/",
        announcements.community_announcement_create,
        name="community-announcement-create",
    ),
    path("join/", joining.join_start, name="join-start"),
    path("me/", me.me, name="me"),
    path("me/building/", me.switch_building, name="switch-building"),
    path("me/profile/", me.profile_update, name="profile-update"),
    path("me/talents/", me.talents_update, name="talents-update"),
    path("me/party-badge/", team.party_badge, name="party-badge"),
    path(
        "me/talent-invitations/<int:invitation_pk>/<str:decision>/",
        team.talent_answer,
        name="talent-answer",
    ),
    path("me/public-display/", me.public_display_update, name="public-display-update"),
    path("me/data/", me.my_data, name="my-data"),
    path("me/leave/", me.leave, name="leave"),
    path("me/notifications/", inbox.notifications, name="notifications"),
    path(
        "me/notifications/settings/",
        inbox.notification_settings,
        name="notification-settings",
    ),
    path(
        "announcements/<int:pk>/",
        announcements.announcement_detail,
        name="announcement",
    ),
    path(
        "announcements/<int:pk>/edit/",
        changes.announcement_edit,
        name="announcement-edit",
    ),
    path(
        "announcements/<int:pk>/withdraw/",
        changes.announcement_withdraw,
        name="announcement-withdraw",
    ),
    path("buildings/<int:pk>/", community.building_detail, name="detail"),
    path("buildings/<int:pk>/edit/", community.building_edit, name="edit"),
    path("buildings/<int:pk>/search/", search.search, name="search"),
    path("buildings/<int:pk>/todo/", community.todo, name="todo"),
    path("buildings/<int:pk>/requests/", joining.join_requests, name="join-requests"),
    path(
        "buildings/<int:pk>/requests/<int:resident_pk>/<str:decision>/",
        joining.decide_join,
        name="decide-join",
    ),
    path("buildings/<int:pk>/unlock/", joining.unlock_phone, name="unlock"),
    path("buildings/<int:pk>/residents/", members.residents, name="residents"),
    path("buildings/<int:pk>/households/", members.households, name="households"),
    path(
        "buildings/<int:pk>/residents/<int:resident_pk>/",
        members.resident_detail,
        name="resident",
    ),
    path(
        "buildings/<int:pk>/residents/<int:resident_pk>/moved-out/",
        members.resident_moved_out,
        name="resident-moved-out",
    ),
    path(
        "buildings/<int:pk>/residents/<int:resident_pk>/reset-code/",
        account.assisted_reset,
        name="assisted-reset",
    ),
    path(
        "buildings/<int:pk>/residents/<int:resident_pk>/party-badge/",
        team.resident_party_badge,
        name="resident-party-badge",
    ),
    path("buildings/<int:pk>/team/", team.team, name="team"),
    path("buildings/<int:pk>/team/appoint/", team.team_appoint, name="appoint"),
    path(
        "buildings/<int:pk>/team/<int:resident_pk>/remove/",
        team.team_remove,
        name="team-remove",
    ),
    path("buildings/<int:pk>/talents/ask/", team.talent_propose, name="talent-ask"),
    path(
        "buildings/<int:pk>/talents/<int:invitation_pk>/withdraw/",
        team.talent_withdraw,
        name="talent-withdraw",
    ),
    path(
        "buildings/<int:pk>/announcements/new/",
        announcements.announcement_create,
        name="announcement-create",
    ),
]
