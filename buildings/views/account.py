"""The account pages: registration (the phone proven by a code first), log-in by
text-message code (the main way) or password, a forgotten password, changing one's
password, and the one-time code a leader gives a resident without a phone of their own."""

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from buildings import codes
from buildings.forms import (
    CodeLoginForm,
    LoginForm,
    PasswordResetByCodeForm,
    PhoneField,
    RegisterForm,
)
from buildings.models import Resident, User
from buildings.permissions import MANAGE, get_access_or_404
from core import sms

BACKEND = "buildings.backends.CachedModelBackend"
Purpose = codes.Purpose

password_login = login_not_required(
    auth_views.LoginView.as_view(
        authentication_form=LoginForm, redirect_authenticated_user=True
    )
)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def send_code(request, purpose: str) -> str | None:
    """Ask for a code to the posted phone; None when asked, else the error to show.

    The same answer whether or not the number is registered.
    """
    try:
        phone = PhoneField().clean(request.POST.get("phone", ""))
    except ValidationError as error:
        return error.messages[0]
    try:
        codes.request_code(
            phone=phone, purpose=purpose, address=get_client_ip_address(request)
        )
    except (codes.CodeRefused, sms.SmsError) as error:
        return str(error.message)
    request.session["code_phone"] = phone
    messages.success(
        request,
        _(
            "If this number can use it, a 6-digit code is on its way by text message. It is valid for 5 minutes."
        ),
    )
    return None


def _wants_code(request) -> bool:
    """ "Send me a code" was pressed (or the code box was left empty)."""
    return not request.POST.get("code", "").strip()


@login_not_required
@never_cache
def login_with_code(request):
    """Log in with a code by text message; a posted password goes the password way."""
    if request.method == "POST" and "password" in request.POST:
        return password_login(request)
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    initial = {"phone": request.session.get("code_phone", "")}
    form = CodeLoginForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if _wants_code(request):
            error = send_code(request, Purpose.LOGIN)
            if error is None:
                return redirect(request.get_full_path())
            form.add_error("phone", error)
        elif form.is_valid():
            phone = form.cleaned_data["phone"]
            if codes.use_code(
                phone=phone, purposes=[Purpose.LOGIN], code=form.cleaned_data["code"]
            ):
                user = User.objects.filter(phone=phone).first()
                if user is not None and user.is_active:
                    request.session.pop("code_phone", None)
                    login(request, user, backend=BACKEND)
                    return redirect(_next_url(request))
            form.add_error(
                "code", _("The code is not right or has run out. Ask for a new one.")
            )
    return render(
        request,
        "registration/login_code.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@login_not_required
@never_cache
def password_forgot(request):
    """A new password with a code by text message, or the code a leader gave."""
    if request.user.is_authenticated:
        return redirect("password-change")
    initial = {"phone": request.session.get("code_phone", "")}
    form = PasswordResetByCodeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if _wants_code(request):
            error = send_code(request, Purpose.RESET)
            if error is None:
                return redirect("password-forgot")
            form.add_error("phone", error)
        elif form.is_valid():
            phone = form.cleaned_data["phone"]
            if codes.use_code(
                phone=phone,
                purposes=[Purpose.RESET, Purpose.ASSISTED],
                code=form.cleaned_data["code"],
            ):
                user = User.objects.get(phone=phone)  # a code is only sent to users
                user.set_password(form.cleaned_data["new_password1"])
                user.save(update_fields=["password"])
                axes_reset(username=phone)
                request.session.pop("code_phone", None)
                if user.is_active:
                    login(request, user, backend=BACKEND)
                messages.success(request, _("Your new password is set."))
                return redirect("home")
            form.add_error(
                "code", _("The code is not right or has run out. Ask for a new one.")
            )
    return render(request, "registration/password_forgot.html", {"form": form})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change.html"

    def get_success_url(self):
        return reverse("buildings:me")

    def form_valid(self, form):
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


password_change = never_cache(PasswordChangeView.as_view())


@require_POST
@never_cache
def assisted_reset(request, pk, resident_pk):
    """A leader (or staff) gives a resident a one-time code to set a new password.

    The code is shown on this answer only (print it or copy it onto a slip); only its
    hash is kept, and the act is recorded in the leader's name.
    """
    access = get_access_or_404(request.user, pk, MANAGE)
    resident = get_object_or_404(
        Resident.objects.in_building(access.building)
        .approved()
        .filter(user__isnull=False)
        .select_related("user", "household"),
        pk=resident_pk,
    )
    code = codes.issue_assisted_code(resident=resident, leader=request.user)
    response = render(
        request,
        "buildings/reset_code.html",
        {
            "building": access.building,
            "resident": resident,
            "code": code,
            "hours": codes.ASSISTED_HOURS,
        },
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_not_required
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(
        request.POST or None, initial={"phone": request.session.get("code_phone", "")}
    )
    if request.method == "POST" and request.POST.get("action") == "send":
        error = send_code(request, codes.Purpose.REGISTER)
        if error:
            messages.error(request, error)
        form = RegisterForm(initial={k: form.data.get(k) for k in ("phone", "name")})
    elif (
        request.method == "POST"
        and form.is_valid()
        and not codes.use_code(
            phone=form.cleaned_data["phone"],
            purposes=[codes.Purpose.REGISTER],
            code=form.cleaned_data["code"],
        )
    ):
        form.add_error(
            "code", _("The code is not right or has run out. Ask for a new one.")
        )
    elif request.method == "POST" and form.is_valid():
        existing = User.objects.filter(
            phone=form.cleaned_data["phone"], is_active=True
        ).first()
        if existing is not None:
            # The code proved the phone is theirs: log in to the account they have.
            login(request, existing, backend="buildings.backends.CachedModelBackend")
            messages.info(
                request,
                _("This number already had an account: you are now logged in to it."),
            )
            return redirect("home")
        user = form.save()
        login(request, user, backend="buildings.backends.CachedModelBackend")
        messages.success(
            request, _("Your account is ready. Now ask to join your building.")
        )
        return redirect("buildings:join-start")
    return render(request, "registration/register.html", {"form": form})


def remember_language(user, language: str) -> None:
    """Keep the person's language for what reaches them outside a page (text messages)."""
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=user.pk).exclude(language=language).update(
            language=language
        )


@login_not_required
def switch_language(request):
    """Django's set_language, and the choice kept on the account of whoever is logged in."""
    response = set_language(request)
    if request.method == "POST":
        remember_language(request.user, request.POST.get("language", ""))
    return response


def remember_language_at_login(sender, request, user, **kwargs):
    remember_language(user, getattr(request, "LANGUAGE_CODE", ""))
