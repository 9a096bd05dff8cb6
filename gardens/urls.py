from django.urls import path

from gardens import views

app_name = "gardens"

G = "buildings/<int:building_pk>/gardens/"

urlpatterns = [
    path(G, views.index, name="index"),
    path(G + "new/", views.create, name="create"),
    path(G + "<int:pk>/", views.detail, name="detail"),
    path(G + "<int:pk>/edit/", views.edit, name="edit"),
    path(G + "<int:pk>/adopt/", views.adopt, name="adopt"),
    path(G + "<int:pk>/turns/", views.add_turns, name="turns"),
    path(
        G + "<int:pk>/adoptions/<int:adoption_pk>/give-up/",
        views.give_up,
        name="give-up",
    ),
    path(
        G + "<int:pk>/adoptions/<int:adoption_pk>/shown-as/",
        views.shown_as,
        name="shown-as",
    ),
]
