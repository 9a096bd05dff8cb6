from django.urls import path

from activities import change_views, views

app_name = "activities"

A = "buildings/<int:building_pk>/activities/"
V = "buildings/<int:building_pk>/volunteer/"

urlpatterns = [
    path(A, views.index, name="index"),
    path(A + "new/", views.create, name="create"),
    path(A + "<int:pk>/", views.detail, name="detail"),
    path(A + "<int:pk>/edit/", views.edit, name="edit"),
    path(A + "<int:pk>/cancel/", change_views.cancel_activity, name="cancel-activity"),
    path(A + "<int:pk>/sign-up/", views.sign_up, name="sign-up"),
    path(
        A + "<int:pk>/registrations/<int:registration_pk>/cancel/",
        views.cancel,
        name="cancel",
    ),
    path(
        A + "<int:pk>/registrations/<int:registration_pk>/attendance/",
        views.attendance,
        name="attendance",
    ),
    path(A + "<int:pk>/roster/", views.roster, name="roster"),
    path(A + "<int:pk>/register-for/", views.register_for, name="register-for"),
    path(A + "<int:pk>/sheet/", views.sheet, name="sheet"),
    path(A + "<int:pk>/calendar.ics", views.calendar, name="ics"),
    path(A + "<int:pk>/recap/", views.recap, name="recap"),
    path(
        "c/<int:community_pk>/activities/<int:pk>/",
        views.community_detail,
        name="community-detail",
    ),
    path(V, views.tasks, name="tasks"),
    path(V + "new/", views.task_create, name="task-create"),
    path(V + "<int:pk>/", views.task_detail, name="task"),
    path(V + "shifts/<int:shift_pk>/claim/", views.shift_claim, name="shift-claim"),
    path(
        V + "shifts/<int:shift_pk>/release/", views.shift_release, name="shift-release"
    ),
    path(
        V + "shifts/<int:shift_pk>/offer-swap/",
        views.shift_offer_swap,
        name="shift-offer-swap",
    ),
    path(V + "shifts/<int:shift_pk>/swap/", views.shift_swap, name="shift-swap"),
    path(V + "shifts/<int:shift_pk>/done/", views.shift_done, name="shift-done"),
    path(V + "hours/", views.my_hours, name="hours"),
    path(V + "hours/<int:resident_pk>/", views.resident_hours, name="resident-hours"),
]
