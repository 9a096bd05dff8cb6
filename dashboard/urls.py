from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("c/<int:pk>/", views.community, name="community"),
    path("c/<int:pk>/refresh/", views.refresh, name="refresh"),
    path("t/<int:pk>/", views.town, name="town"),
]
