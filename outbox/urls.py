from django.urls import path

from outbox import views

app_name = "outbox"

urlpatterns = [
    path("buildings/<int:pk>/wecom/", views.wecom_robot, name="wecom"),
    path("me/notifications/sms/", views.sms_choices, name="sms-choices"),
]
