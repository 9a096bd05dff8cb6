"""Consultation pages; included by proposals/deliberation/urls.py."""

from django.urls import path

from proposals.deliberation import paper
from proposals.deliberation.consultations import views

urlpatterns = [
    path("decide/consultations/", views.consultation_list, name="consultations"),
    path(
        "decide/consultations/new/",
        views.consultation_create,
        name="consultation-create",
    ),
    path(
        "decide/consultations/<int:pk>/",
        views.consultation_detail,
        name="consultation",
    ),
    path(
        "decide/consultations/<int:pk>/questions/",
        views.consultation_questions,
        name="consultation-questions",
    ),
    path(
        "decide/consultations/<int:pk>/answer/",
        views.consultation_answer,
        name="consultation-answer",
    ),
    path(
        "decide/consultations/<int:pk>/visit/",
        views.consultation_visit,
        name="consultation-visit",
    ),
    path(
        "decide/consultations/<int:pk>/sheet/",
        paper.consultation_sheet,
        name="consultation-sheet",
    ),
    path(
        "decide/consultations/<int:pk>/export.csv",
        views.consultation_export,
        name="consultation-export",
    ),
    path(
        "decide/consultations/<int:pk>/edit/",
        views.consultation_edit,
        name="consultation-edit",
    ),
    path(
        "decide/consultations/<int:pk>/cancel/",
        views.consultation_cancel,
        name="consultation-cancel",
    ),
]
