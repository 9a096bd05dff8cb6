from django.urls import path

from activities.views import changes, organise, pages, tasks

app_name = "activities"

A = "buildings/<int:building_pk>/activities/"
V = "buildings/<int:building_pk>/volunteer/"

urlpatterns = [
    path(A, pages.index, name="index"),
    path(A + "new/", organise.create, name="create"),
    path(A + "<int:pk>/", pages.detail, name="detail"),
    path(A + "<int:pk>/edit/", organise.edit, name="edit"),
    path(A + "<int:pk>/cancel/", changes.cancel_activity, name="cancel-activity"),
    path(A + "<int:pk>/sign-up/", pages.sign_up, name="sign-up"),
    path(
        A + "<int:pk>/registrations/<int:registration_pk>/cancel/",
        pages.cancel,
        name="cancel",
    ),
    path(
        A + "<int:pk>/registrations/<int:registration_pk>/attendance/",
        organise.attendance,
        name="attendance",
    ),
    path(A + "<int:pk>/roster/", organise.roster, name="roster"),
    path(A + "<int:pk>/register-for/", organise.register_for, name="register-for"),
    path(A + "<int:pk>/sheet/", organise.sheet, name="sheet"),
    path(A + "<int:pk>/calendar.ics", pages.calendar, name="ics"),
    path(A + "<int:pk>/recap/", organise.recap, name="recap"),
    path(
        "c/<int:community_pk>/activities/<int:pk>/",
        pages.community_detail,
        name="community-detail",
    ),
    path(V, tasks.tasks, name="tasks"),
    path(V + "new/", tasks.task_create, name="task-create"),
    path(V + "<int:pk>/", tasks.task_detail, name="task"),
    path(V + "shifts/<int:shift_pk>/claim/", tasks.shift_claim, name="shift-claim"),
    path(
        V + "shifts/<int:shift_pk>/release/", tasks.shift_release, name="shift-release"
    ),
    path(
        V + "shifts/<int:shift_pk>/offer-swap/",
        tasks.shift_offer_swap,
        name="shift-offer-swap",
    ),
    path(V + "shifts/<int:shift_pk>/swap/", tasks.shift_swap, name="shift-swap"),
    path(V + "shifts/<int:shift_pk>/done/", tasks.shift_done, name="shift-done"),
    path(V + "hours/", tasks.my_hours, name="hours"),
    path(V + "hours/<int:resident_pk>/", tasks.resident_hours, name="resident-hours"),
]
