"""What the contact reader skips as work that changes nothing (pipeline/extract/contact.py):
the readings of an empty value, the role test of a lone name, and the address's postcode test
of lines looked at before."""

from __future__ import annotations

from dataclasses import fields

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.contact import (
    ContactData,
    _address_has_postal,
    _Reading,
    _take_persons,
)
from pipeline.extract.lines import Line
from pipeline.extract.vocabulary import lexicon_for
from pipeline.normalize.emails import find_emails
from pipeline.normalize.phones import split_phones
from tests.spi import SPI
from tests.test_quick_tests import LEXICONS

LEX = lexicon_for(SPI)


def test_an_empty_value_holds_no_address_number_or_name():
    """A label without its value on its line ("E-Mail", "Telefon") is not read for them."""
    assert find_emails("") == []
    for lex in LEXICONS:
        assert split_phones("", lex.calling_code) == []
        data = ContactData()
        _take_persons(data, "", Line("", "p"), [], lex)
        assert data == ContactData()


def test_a_lone_name_is_taken_as_it_is_role_or_not():
    """A role alone stands for the person: the one name after a label needs no role test."""
    for value in ("Projektleitung", "Eva Roth", "Geschäftsbereichsleitung"):
        data = ContactData()
        _take_persons(data, value, Line(value, "p"), [], LEX)
        assert data.persons == [value]
    data = ContactData()
    _take_persons(data, "Kai Brenner, Programmleitung", Line("x", "p"), [], LEX)
    assert data.persons == ["Kai Brenner"]  # (two names: the role drops out)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["10247 Berlin", "Seeweg 1", "Verein X", "8008 Zürich", "x"]),
            st.booleans(),
        ),
        max_size=8,
    )
)
def test_the_postcode_test_of_the_address_lines_is_the_test_of_them_all(steps):
    state = _Reading()
    for text, ask in steps:
        state.address.append(text)
        if ask:
            expected = any(LEX.postal_line.match(t) for t in state.address)
            assert _address_has_postal(state, LEX) is expected
    expected = any(LEX.postal_line.match(t) for t in state.address)
    assert _address_has_postal(state, LEX) is expected


def test_a_contact_is_empty_when_each_field_is():
    assert ContactData().is_empty()
    assert list(ContactData().as_dict()) == [f.name for f in fields(ContactData)]
    for name in ContactData().as_dict():
        data = ContactData()
        setattr(data, name, ["x"] if isinstance(getattr(data, name), list) else "x")
        assert not data.is_empty()
        assert data.as_dict() == {f.name: getattr(data, f.name) for f in fields(data)}
