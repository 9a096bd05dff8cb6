"""Searching text by words: PostgreSQL full text with a trigram fallback, icontains on SQLite.

PostgreSQL's full text search ('simple' configuration) finds whole words, which is right
for numbers, rooms and Latin text but not for Chinese, which has no spaces between words:
"铁门" is not a word of "楼道铁门坏了". So a row also matches when every word of the query is
found in one of its fields: as a substring, or through pg_trgm as a close trigram match
(a typo, a letter off: "dor" for "door"). Results are ranked by full-text rank
plus trigram word similarity, newest first among equals. On SQLite (development, the test
suite) every word must be a substring of one of the fields.

The caller scopes the queryset (one building, what the person may see) and slices it;
a query is cut to MAX_LENGTH characters and MAX_WORDS words, control characters removed.
"""

import operator
import unicodedata
from functools import reduce

from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Greatest

MAX_LENGTH = 60
MAX_WORDS = 6
FUZZY = 0.6  # trigram word similarity at which a word counts as found (a typo)


def clean_query(raw) -> str:
    """The query as typed, without control or format characters, spaces collapsed."""
    text = "".join(
        " " if unicodedata.category(ch)[0] in "CZ" else ch for ch in str(raw or "")
    )
    return " ".join(text.split())[:MAX_LENGTH].strip()


def words(query: str) -> list[str]:
    seen = []
    for word in query.split():
        if word not in seen:
            seen.append(word)
    return seen[:MAX_WORDS]


def _contains(fields, term) -> Q:
    return reduce(
        operator.or_, (Q(**{f"{field}__icontains": term}) for field in fields)
    )


def matching(
    queryset: QuerySet, fields: list[str], query: str, order: tuple[str, ...]
) -> QuerySet:
    """Rows of the queryset whose fields match the query, best first, then in `order`
    (field paths may follow relations, e.g. "skill__name")."""
    terms = words(query)
    if not terms:
        return queryset.none()
    if connection.vendor != "postgresql":
        every = reduce(operator.and_, (_contains(fields, term) for term in terms))
        return queryset.filter(every).order_by(*order)
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVector,
        TrigramWordSimilarity,
    )

    def closest(term):
        similarities = [TrigramWordSimilarity(term, field) for field in fields]
        if len(similarities) == 1:
            return similarities[0]
        return Greatest(*similarities, output_field=FloatField())

    tsquery = SearchQuery(" ".join(terms), config="simple", search_type="websearch")
    similar = {f"search_similar_{i}": closest(term) for i, term in enumerate(terms)}
    # Every word found: as a substring, or close enough by trigrams (a typo).
    every = reduce(
        operator.and_,
        (
            _contains(fields, term) | Q(**{f"search_similar_{i}__gte": FUZZY})
            for i, term in enumerate(terms)
        ),
    )
    score = SearchRank(F("search_document"), tsquery) + Value(
        0.0, output_field=FloatField()
    )
    for name in similar:
        score = score + F(name)
    return (
        queryset.annotate(
            search_document=SearchVector(*fields, config="simple"), **similar
        )
        .annotate(search_score=score)
        .filter(Q(search_document=tsquery) | every)
        .order_by("-search_score", *order)
    )
