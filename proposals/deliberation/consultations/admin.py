"""Admin for consultations: answers are read-only."""

from django.contrib import admin

from buildings.admin import ReadOnlyAdmin
from core.uploads import PhotoUploadsMixin
from proposals.deliberation.consultations.models import (
    Answer,
    Choice,
    Consultation,
    ConsultationResponse,
    Question,
)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "building", "opens_at", "closes_at"]
    list_filter = ["building__community", "building"]
    search_fields = ["title", "intro"]
    date_hierarchy = "opens_at"
    list_select_related = ["building"]
    raw_id_fields = ["building", "created_by"]
    inlines = [QuestionInline]


@admin.register(Choice)
class ChoiceAdmin(PhotoUploadsMixin, admin.ModelAdmin):
    list_display = ["label", "question"]
    list_filter = ["question__kind", "question__consultation__building"]
    search_fields = ["label", "question__text"]
    list_select_related = ["question"]
    raw_id_fields = ["question"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ["question", "choice", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ConsultationResponse)
class ConsultationResponseAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "household", "origin", "entered_by", "created_at"]
    list_filter = ["origin", "consultation__building"]
    search_fields = ["consultation__title", "household__room"]
    date_hierarchy = "created_at"
    list_select_related = ["consultation", "household__building", "entered_by"]
    inlines = [AnswerInline]
