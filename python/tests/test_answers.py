"""optscale.extract_answer / answers_equivalent / canonical_key: the answers layer."""

import optscale


def test_extract_answer():
    assert optscale.extract_answer(r"so \boxed{1} then \boxed{\frac{1}{2}}.") == r"\frac{1}{2}"
    assert optscale.extract_answer("Natalia sold 48 + 24 = 72 clips.\n#### 72") == "72"
    assert optscale.extract_answer("no answer here") is None
    assert optscale.extract_answer("") is None


def test_answers_equivalent():
    assert optscale.answers_equivalent("0.5", r"\frac{1}{2}")
    assert optscale.answers_equivalent(r"\sqrt{2}", r"\sqrt 2")
    assert not optscale.answers_equivalent("1", "2")
    assert not optscale.answers_equivalent("", "")


def test_canonical_key_groups_equal_answers():
    assert optscale.canonical_key("1/2") == optscale.canonical_key(r"\frac{1}{2}") != ""
    assert optscale.canonical_key("") == ""
