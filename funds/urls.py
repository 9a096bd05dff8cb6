from django.urls import path

from funds import change_views, views

app_name = "funds"

urlpatterns = [
    path("", views.index, name="index"),
    path("open/", views.fund_open, name="open"),
    path("settings/", views.fund_settings, name="settings"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rules_create, name="rules-create"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign-close"),
    path("campaigns/<int:pk>/edit/", change_views.campaign_edit, name="campaign-edit"),
    path(
        "campaigns/<int:pk>/cancel/",
        change_views.campaign_cancel,
        name="campaign-cancel",
    ),
    path("needs/<int:pk>/pledge/", views.need_pledge, name="pledge"),
    path("needs/<int:pk>/withdraw/", views.need_withdraw, name="pledge-withdraw"),
    path("donations/new/", views.donation_create, name="donation-create"),
    path("expenses/new/", views.expense_create, name="expense-create"),
    path("matching/new/", views.matching_create, name="matching-create"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry-reverse"),
    path("entries/<int:pk>/receipt/", views.receipt, name="receipt"),
    path(
        "entries/<int:pk>/receipt/photo.jpg", views.receipt_photo, name="receipt-photo"
    ),
    path(
        "entries/<int:pk>/receipt/original.jpg",
        views.receipt_original,
        name="receipt-original",
    ),
    path(
        "entries/<int:pk>/receipt/confirm/",
        views.receipt_confirm,
        name="receipt-confirm",
    ),
    path("goods/", views.goods, name="goods"),
    path("goods/new/", views.goods_create, name="goods-create"),
    path("goods/<int:pk>/use/", views.goods_use, name="goods-use"),
    path("statement/", views.statement, name="statement"),
    path("statement/print/", views.statement_print, name="statement-print"),
    path("statement.csv", views.statement_csv, name="statement-csv"),
    path("statement.xlsx", views.statement_xlsx, name="statement-xlsx"),
]
