"""Invariants of every fund, verified by `manage.py check_ledger` (and the property tests)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from funds.models import Fund, GoodsDonation, LedgerEntry
from funds.money import to_money
from funds.statements import build_statement, month_end, month_starts

Kind = LedgerEntry.Kind


def check_fund(fund: Fund) -> list[str]:
    """Every broken invariant of one fund, as readable lines (an empty list means all is well)."""
    problems: list[str] = []
    label = f"{fund.building.display_name} (fund #{fund.pk})"
    entries = list(LedgerEntry.objects.filter(fund=fund).order_by("pk"))
    by_pk = {entry.pk: entry for entry in entries}

    previous, running, total = "", Decimal("0.00"), Decimal("0.00")
    reversed_seen: dict[int, int] = {}
    for entry in entries:
        # 1. The digest chain: a row changed behind the application's back breaks it.
        if entry.compute_digest(previous) != entry.digest:
            problems.append(
                _(
                    "%(fund)s: entry #%(pk)s was changed after it was recorded (digest mismatch)."
                )
                % {"fund": label, "pk": entry.pk}
            )
        previous = entry.digest
        # 2. Signs match kinds, reversals mirror exactly one earlier entry.
        positive_kinds, amount = (Kind.DONATION, Kind.MATCHING), entry.amount
        if (entry.kind in positive_kinds and amount <= 0) or (
            entry.kind == Kind.EXPENSE and amount >= 0
        ):
            problems.append(
                _("%(fund)s: entry #%(pk)s has the wrong sign for its kind.")
                % {"fund": label, "pk": entry.pk}
            )
        if entry.kind == Kind.REVERSAL:
            target = by_pk.get(entry.reverses_id)
            if target is None or target.pk >= entry.pk:
                problems.append(
                    _(
                        "%(fund)s: reversal #%(pk)s does not reverse an earlier entry of this fund."
                    )
                    % {"fund": label, "pk": entry.pk}
                )
            else:
                if target.kind == Kind.REVERSAL:
                    problems.append(
                        _("%(fund)s: reversal #%(pk)s reverses another reversal.")
                        % {"fund": label, "pk": entry.pk}
                    )
                if target.amount != -amount:
                    problems.append(
                        _(
                            "%(fund)s: reversal #%(pk)s does not mirror the amount of #%(target)s."
                        )
                        % {"fund": label, "pk": entry.pk, "target": target.pk}
                    )
            reversed_seen[entry.reverses_id] = (
                reversed_seen.get(entry.reverses_id, 0) + 1
            )
        elif entry.reverses_id is not None:
            problems.append(
                _("%(fund)s: entry #%(pk)s names a reversed entry but is no reversal.")
                % {"fund": label, "pk": entry.pk}
            )
        # 3. The balance never went below zero, at any point of the ledger.
        running = to_money(running + amount)
        total += amount
        if running < 0:
            problems.append(
                _(
                    "%(fund)s: the balance went below zero (%(balance)s) at entry #%(pk)s."
                )
                % {"fund": label, "balance": running, "pk": entry.pk}
            )
    for target, count in reversed_seen.items():
        if count > 1:
            problems.append(
                _("%(fund)s: entry #%(pk)s is reversed %(count)s times.")
                % {"fund": label, "pk": target, "count": count}
            )

    # 4. The balance the pages show (a database sum) equals the sum of the entries.
    shown = LedgerEntry.objects.filter(fund=fund).balance()
    if shown != to_money(total):
        problems.append(
            _(
                "%(fund)s: the balance shown (%(shown)s) differs from the sum of entries (%(total)s)."
            )
            % {"fund": label, "shown": shown, "total": to_money(total)}
        )

    # 5. Monthly statements partition the ledger: every entry in exactly one month,
    #    each month opens where the previous one closed, the last closes at the balance.
    if entries:
        dates = [entry.occurred_on for entry in entries]
        months = month_starts(min(dates), max(dates))
        counted, previous_closing = 0, Decimal("0.00")
        for month in months:
            statement = build_statement(fund, month, month_end(month))
            if statement.opening != previous_closing:
                problems.append(
                    _(
                        "%(fund)s: the statement of %(month)s does not open at the previous closing balance."
                    )
                    % {"fund": label, "month": f"{month:%Y-%m}"}
                )
            counted += statement.entry_count
            previous_closing = statement.closing
        if counted != len(entries):
            problems.append(
                _(
                    "%(fund)s: monthly statements hold %(counted)s entries, the ledger %(total)s."
                )
                % {"fund": label, "counted": counted, "total": len(entries)}
            )
        if previous_closing != to_money(total):
            problems.append(
                _(
                    "%(fund)s: the last statement closes at %(closing)s, not at the balance %(total)s."
                )
                % {"fund": label, "closing": previous_closing, "total": to_money(total)}
            )

    # 6. Goods stay out of the money total, and their stock never goes below zero.
    for goods in GoodsDonation.objects.filter(fund=fund).with_stock():
        if goods.in_stock < 0:
            problems.append(
                _("%(fund)s: more %(item)s used than received.")
                % {"fund": label, "item": goods.item}
            )
    return problems


def check_all(funds=None) -> tuple[int, int, list[str]]:
    """(funds checked, entries checked, problems) for every fund."""
    funds = Fund.objects.select_related("building") if funds is None else funds
    problems, fund_count = [], 0
    for fund in funds:
        fund_count += 1
        problems.extend(check_fund(fund))
    return fund_count, LedgerEntry.objects.count(), problems
