"""Empty forms that every viewer sees the same are rendered once per language; forms
with what someone typed, and forms that are not the same for everyone, never are."""

from crispy_forms.templatetags.crispy_forms_filters import (
    as_crispy_field,
    as_crispy_form,
)
from django import forms
from django.utils import translation

from activities.forms import SignUpForm
from core.templatetags.crispy_once import crispy_field_once, crispy_once
from proposals.issues.forms import CommentForm


def test_an_empty_form_renders_as_crispy_does_in_each_language():
    for language, label in (("zh-hans", "您的留言"), ("en", "Your comment")):
        with translation.override(language):
            first = crispy_once(CommentForm())
            assert first == as_crispy_form(CommentForm())
            assert crispy_once(CommentForm()) is first  # kept, not rendered again
            assert label in first
        with translation.override(language):
            field = crispy_field_once(SignUpForm()["adults"])
            assert field == as_crispy_field(SignUpForm()["adults"])


def test_a_form_with_what_someone_typed_is_rendered_afresh():
    with translation.override("en"):
        crispy_field_once(SignUpForm()["adults"])
        bound = SignUpForm({"adults": "x", "children": "0"})
        bound.is_valid()
        html = crispy_field_once(bound["adults"])
    assert 'value="x"' in html and "invalid-feedback" in html


class PerPerson(forms.Form):
    """Not marked same_for_everyone: its initial value differs per request."""

    name = forms.CharField()


def test_a_form_not_marked_the_same_for_everyone_is_never_kept():
    assert 'value="张阿姨"' in crispy_once(PerPerson(initial={"name": "张阿姨"}))
    assert 'value="王伯伯"' in crispy_once(PerPerson(initial={"name": "王伯伯"}))
