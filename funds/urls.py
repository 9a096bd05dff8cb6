from django.urls import path

from funds.views import campaigns, changes, fund, goods, ledger, statements

app_name = "funds"

urlpatterns = [
    path("", fund.index, name="index"),
    path("open/", fund.fund_open, name="open"),
    path("settings/", fund.fund_settings, name="settings"),
    path("rules/", fund.rules, name="rules"),
    path("rules/new/", fund.rules_create, name="rules-create"),
    path("campaigns/new/", campaigns.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/close/", campaigns.campaign_close, name="campaign-close"),
    path("campaigns/<int:pk>/edit/", changes.campaign_edit, name="campaign-edit"),
    path(
        "campaigns/<int:pk>/cancel/",
        changes.campaign_cancel,
        name="campaign-cancel",
    ),
    path("needs/<int:pk>/pledge/", campaigns.need_pledge, name="pledge"),
    path("needs/<int:pk>/withdraw/", campaigns.need_withdraw, name="pledge-withdraw"),
    path("donations/new/", ledger.donation_create, name="donation-create"),
    path("expenses/new/", ledger.expense_create, name="expense-create"),
    path("matching/new/", ledger.matching_create, name="matching-create"),
    path("entries/<int:pk>/", ledger.entry_detail, name="entry"),
    path("entries/<int:pk>/reverse/", ledger.entry_reverse, name="entry-reverse"),
    path("entries/<int:pk>/receipt/", ledger.receipt, name="receipt"),
    path(
        "entries/<int:pk>/receipt/photo.jpg", ledger.receipt_photo, name="receipt-photo"
    ),
    path(
        "entries/<int:pk>/receipt/original.jpg",
        ledger.receipt_original,
        name="receipt-original",
    ),
    path(
        "entries/<int:pk>/receipt/confirm/",
        ledger.receipt_confirm,
        name="receipt-confirm",
    ),
    path("goods/", goods.goods, name="goods"),
    path("goods/new/", goods.goods_create, name="goods-create"),
    path("goods/<int:pk>/use/", goods.goods_use, name="goods-use"),
    path("statement/", statements.statement, name="statement"),
    path("statement/print/", statements.statement_print, name="statement-print"),
    path("statement.csv", statements.statement_csv, name="statement-csv"),
    path("statement.xlsx", statements.statement_xlsx, name="statement-xlsx"),
]
