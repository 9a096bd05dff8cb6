"""Property: any sequence of donations, expenses, matching grants and reversals keeps every invariant."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funds import services
from funds.checks import check_fund
from funds.models import LedgerEntry
from tests.funds.factories import ready_fund

cents = st.integers(min_value=1, max_value=200_000).map(lambda c: Decimal(c) / 100)
operation = st.one_of(
    st.tuples(st.just("donate"), cents),
    st.tuples(st.just("spend"), cents),
    st.tuples(st.just("match"), cents),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=40)),
)


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(operations=st.lists(operation, min_size=1, max_size=25))
def test_any_sequence_keeps_every_invariant(operations):
    fund, leader, rule = ready_fund()
    fund.matching_ratio, fund.matching_cap = Decimal("0.50"), Decimal("800.00")
    fund.save()
    today = timezone.localdate()
    expected = Decimal("0.00")
    for kind, value in operations:
        try:
            if kind == "donate":
                services.record_donation(
                    fund=fund, amount=value, occurred_on=today, by=leader
                )
                expected += value
            elif kind == "spend":
                services.record_expense(
                    fund=fund,
                    amount=value,
                    occurred_on=today,
                    payee="店家",
                    purpose="买东西",
                    usage_rule=rule,
                    approval_text="议事会决议",
                    by=leader,
                )
                expected -= value
            elif kind == "match":
                services.record_matching_grant(
                    fund=fund, amount=value, occurred_on=today, by=leader
                )
                expected += value
            else:
                entries = list(fund.entries.order_by("pk"))
                if entries:
                    target = entries[value % len(entries)]
                    services.reverse_entry(entry=target, reason="更正", by=leader)
                    expected -= target.amount
        except ValidationError:
            pass  # a refused operation must leave everything as it was
        balance = fund.entries.balance()
        assert balance == expected
        assert balance >= 0
    assert check_fund(fund) == []
    totals = fund.entries.totals()
    assert totals["raised"] + totals["matched"] - totals["spent"] == totals["balance"]
    assert totals["matched"] <= fund.matching_cap
    donation_reversed = LedgerEntry.objects.filter(
        fund=fund, kind="reversal", reverses__kind="donation"
    ).exists()
    if (
        not donation_reversed
    ):  # matching follows the ratio (a later refund of a gift may undercut it)
        assert totals["matched"] <= totals["raised"] * fund.matching_ratio
