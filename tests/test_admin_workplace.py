"""The admin is a good workplace for staff: every model is reachable and searchable."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

# Rows edited only as part of their parent (inlines on the parent's page).
INLINE_ONLY = {
    "proposals.meetingattendance",
    "proposals.question",
    "proposals.answer",
    "proposals.polloption",
    "funds.usagerule",
    "funds.projectcategory",
    "funds.campaignneed",
}
APPS = ["buildings", "proposals", "funds", "activities", "gardens"]
MODELS = [
    model
    for app in APPS
    for model in apps.get_app_config(app).get_models()
    if model._meta.label_lower not in INLINE_ONLY
]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label_lower)
def test_every_model_has_a_searchable_changelist_in_chinese(
    client, model, django_user_model
):
    staff = django_user_model.objects.create_superuser(
        "13900000001", "pass-word-123", name="周书记"
    )
    model_admin = admin.site._registry.get(model)
    assert model_admin is not None, f"{model._meta.label} is not in the admin"
    assert model_admin.search_fields, f"{model._meta.label} has no search"
    client.force_login(staff)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {"q": "8号楼"})
    assert response.status_code == 200
    assert "搜索" in response.content.decode()


def test_inline_only_models_are_inlines_of_a_registered_parent():
    inline_models = {
        inline.model._meta.label_lower
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    assert INLINE_ONLY <= inline_models


def test_audit_trail_is_browsable(client, django_user_model):
    staff = django_user_model.objects.create_superuser(
        "13900000002", "pass-word-123", name="周书记"
    )
    client.force_login(staff)
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
