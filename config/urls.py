from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from buildings import textsize
from buildings.views import account, site

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.ADMIN_SITE_HEADER

urlpatterns = [
    path("", site.home, name="home"),
    path("accounts/register/", account.register, name="register"),
    path("accounts/login/", account.login_with_code, name="login"),
    path(
        "accounts/login/password/",
        account.password_login,
        name="login-password",
    ),
    path(
        "accounts/password/forgot/",
        account.password_forgot,
        name="password-forgot",
    ),
    path(
        "accounts/password/change/",
        account.password_change,
        name="password-change",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", account.switch_language, name="set_language"),
    path("text-size/", textsize.switch_text_size, name="text-size"),
    path("admin/", admin.site.urls),
    path("", include("buildings.urls")),
    path("buildings/<int:building_pk>/", include("proposals.urls")),
    path("buildings/<int:building_pk>/fund/", include("funds.urls")),
    path("", include("activities.urls")),
    path("", include("gardens.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("", include("outbox.urls")),
]

# Photos have unguessable random names. They are always served by this route, from local
# disk or an S3-compatible bucket alike: same origin, same security headers, and receipt
# originals and ballot slips kept for the views that check who may see them.
urlpatterns += [
    path("media/<path:path>", site.media, name="media"),
]
