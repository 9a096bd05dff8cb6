"""The benchmark opens every main page and makes every main write (bench/catalogue.py).

A page that drops out of the catalogue, or whose URL changes so the benchmark would open
another page, fails here, not silently in the next benchmark run.
"""

import random

import pytest
from django.urls import resolve

from bench import catalogue
from bench.targets import Target

# What a resident, a leader or staff opens (the pages) and does (the writes), by URL name.
MAIN_PAGES = {
    "buildings:community",  # community
    "buildings:detail",  # building
    "proposals:issues",  # issue list
    "proposals:issue",  # issue
    "proposals:index",  # decide hub
    "proposals:poll",
    "proposals:consultation",
    "proposals:meeting",
    "funds:index",  # fund
    "funds:statement",
    "funds:campaign",
    "activities:index",  # activities list
    "activities:detail",  # activity
    "activities:tasks",  # volunteer rota
    "buildings:notifications",  # inbox
    "buildings:me",  # my page
    "buildings:todo",  # the leader's to-do
    "dashboard:community",  # staff
}
MAIN_WRITES = {
    "proposals:issue-create",  # report an issue
    "proposals:issue-support",  # me too (and taking it back)
    "proposals:poll-vote",
    "activities:sign-up",
    "funds:donation-create",
    "dashboard:refresh",  # the dashboard's figures afresh
}


def stand_in() -> Target:
    return Target(
        building=3,
        community=2,
        poll=5,
        options=[51, 52],
        activities=[7, 8],
        consultation=9,
        leader="leader-session",
        residents=["resident-a", "resident-b"],
        staff="staff-session",
        issues=[11, 12],
        open_issues=[12],
        meeting=13,
        campaign=14,
        task=15,
    )


def opened(endpoints) -> dict[str, tuple]:
    """url name -> (method, session) of what the benchmark sends for each endpoint."""
    rng, target, found = random.Random(1), stand_in(), {}
    for endpoint in endpoints:
        for _twice in range(2):  # "me too" alternates with taking it back
            method, path, session, body = endpoint.request(target, rng)
            match = resolve(path.partition("?")[0])
            found[match.view_name] = (method, session, body)
    return found


def test_every_main_page_is_benchmarked_as_a_get_by_the_right_person():
    pages = opened(catalogue.PAGES)
    assert MAIN_PAGES <= set(pages), MAIN_PAGES - set(pages)
    assert all(method == "GET" for method, _s, _b in pages.values())
    assert pages["buildings:todo"][1] == "leader-session"
    assert pages["dashboard:community"][1] == "staff-session"
    assert pages["proposals:poll"][1] in {"resident-a", "resident-b"}


def test_every_main_write_is_benchmarked_as_a_post():
    writes = opened(catalogue.WRITES)
    assert MAIN_WRITES <= set(writes), MAIN_WRITES - set(writes)
    assert all(method == "POST" for method, _s, _b in writes.values())
    assert writes["proposals:poll-vote"][2]["option"] in {51, 52}
    assert writes["funds:donation-create"][1] == "leader-session"


def test_me_too_alternates_so_every_request_writes():
    me_too = catalogue.by_label()["me too"]
    rng, target = random.Random(2), stand_in()
    names = [
        resolve(me_too.request(target, rng)[1]).view_name for _n in range(4)
    ]  # one open issue, two residents: each pair alternates
    assert "proposals:issue-support" in names
    assert "proposals:issue-unsupport" in names


@pytest.mark.parametrize("label", ["meeting", "campaign", "rota"])
def test_a_page_a_building_lacks_is_left_out_for_that_building(label):
    endpoint = catalogue.by_label()[label]
    target = stand_in()
    assert endpoint.serves(target)
    target.meeting = target.campaign = target.task = None
    assert not endpoint.serves(target)
