"""Scene text as the REPL lays it out (engine.repl.render)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from carnet.engine.repl import render
from carnet.engine.repl.render import plain, speech_spans, text_width, wrap_paragraph
from carnet.engine.text import printable


def test_text_width_follows_the_terminal_within_limits() -> None:
    assert text_width(60) == 59
    assert text_width(200) == 79
    assert text_width(5) == render.MIN_WIDTH


def test_wrapping_keeps_line_breaks_and_indentation() -> None:
    paragraph = "Roses are red,\n  violets are blue,\n\tand so on"
    assert wrap_paragraph(paragraph, 40) == ["Roses are red,", "  violets are blue,",
                                             "    and so on"]


def test_wrapping_indents_continuation_lines_like_the_first() -> None:
    lines = wrap_paragraph("    one two three four five six", 14)
    assert lines == ["    one two", "    three four", "    five six"]


def test_hyphenated_words_and_quotes_stay_whole() -> None:
    lines = wrap_paragraph('"Forty-one years," she said.', 12)
    assert lines == ['"Forty-one', 'years," she', "said."]


@given(st.text(alphabet=st.sampled_from(list('ab cd "“”\n-.,')), max_size=300),
       st.integers(min_value=render.MIN_WIDTH, max_value=100))
def test_wrapping_loses_no_word_and_fits_the_width(text: str, width: int) -> None:
    lines = wrap_paragraph(text, width)
    assert all(len(line) <= width for line in lines)
    # no character is lost, and a word that fits on a line is never split
    # (one longer than the width has to be, to keep the line within it)
    assert "".join(" ".join(lines).split()) == "".join(text.split())
    if all(len(word) <= width // 2 for word in text.split()):
        assert " ".join(lines).split() == text.split()
    assert len(lines) >= text.count("\n") + 1


@given(st.lists(st.text(alphabet=st.sampled_from(list('ab "“”')), max_size=30), max_size=5))
def test_speech_styling_keeps_every_character(lines: list[str]) -> None:
    styled = speech_spans(lines)
    assert [plain(line) for line in styled] == lines
    assert all(style in ("text", "speech") for line in styled for style, _ in line)


def test_quoted_speech_gets_its_own_style_across_lines() -> None:
    styled = speech_spans(['He said "come', 'here" and left.', "“Curly” too."])
    assert styled == [
        (("text", "He said "), ("speech", '"come')),
        (("speech", 'here"'), ("text", " and left.")),
        (("speech", "“Curly”"), ("text", " too.")),
    ]


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    lines = render.paragraphs(["One.", "Two.\nStill two."], 40)
    assert [plain(line) for line in lines] == ["One.", "", "Two.", "Still two."]


def test_choices_are_numbered_and_wrap_under_their_text() -> None:
    numbered = [(n, "word " * 3) for n in range(1, 10)] + [(10, "a long choice " * 3)]
    lines = [plain(line) for line in render.choices(numbered, 30)]
    assert lines[0] == "   1. word word word"
    assert lines[9:] == ["  10. a long choice a long", "      choice a long choice"]


def test_the_ending_block_counts_turns_and_endings() -> None:
    lines = [plain(line) for line in render.ending("Home", 1, 2, 4, new=False)]
    assert lines == ["", "*** The End: Home ***", "1 turn. Endings found: 2 of 4.",
                     "Type restart to play again, undo to step back, or quit."]
    assert "12 turns. Endings found: 3 of 4 (this one is new)." in [
        plain(line) for line in render.ending("Home", 12, 3, 4, new=True)]


def test_printable_shows_control_characters_instead_of_sending_them() -> None:
    assert printable("a\x1b[2Jb\x07\tc\nd\x7f\x85") == "a^[[2Jb^G\tc\nd^?<U+0085>"
    assert printable("“Curly” é ß 中") == "“Curly” é ß 中"
