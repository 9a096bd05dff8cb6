"""Issue report pages; included by proposals/urls.py (namespace `proposals`)."""

from django.urls import path

from proposals.issues import moderation_views, views

urlpatterns = [
    path("issues/hub/", views.index, name="issues-hub"),
    path("issues/", views.issue_list, name="issues"),
    path("issues/new/", views.issue_create, name="issue-create"),
    path("issues/print/", views.issue_print, name="issue-print"),
    path("issues/overdue/", views.overdue_list, name="issues-overdue"),
    path("issues/<int:pk>/", views.issue_detail, name="issue"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue-edit"),
    path("issues/<int:pk>/support/", views.issue_support, name="issue-support"),
    path("issues/<int:pk>/unsupport/", views.issue_unsupport, name="issue-unsupport"),
    path("issues/<int:pk>/status/", views.issue_status, name="issue-status"),
    path("issues/<int:pk>/comment/", views.issue_comment, name="issue-comment"),
    path("issues/<int:pk>/feedback/", views.issue_feedback, name="issue-feedback"),
    path("issues/<int:pk>/manage/", moderation_views.issue_manage, name="issue-manage"),
    path(
        "issues/<int:pk>/recategorise/",
        moderation_views.issue_recategorise,
        name="issue-recategorise",
    ),
    path("issues/<int:pk>/merge/", moderation_views.issue_merge, name="issue-merge"),
    path("issues/<int:pk>/hide/", moderation_views.issue_hide, name="issue-hide"),
]
