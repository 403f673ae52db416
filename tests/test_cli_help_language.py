"""`langkah --help` speaks the chosen language: every help text, description and epilog the
parser has is in Bahasa Indonesia by default (langkah/cli/help_id.py), English with --lang en."""

from __future__ import annotations

import argparse

import pytest

from langkah.cli import help_id
from langkah.cli.main import Parser, build_parser, main


@pytest.fixture(autouse=True)
def language_restored():
    yield
    Parser.lang = "id"  # `main` sets it for the run; the next test starts from the default


def shown(parser: argparse.ArgumentParser) -> list[str]:
    """The help texts, description and epilog that `parser`'s own --help shows."""
    found = [t for t in (parser.description, parser.epilog) if t]
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            found.append(action.help)
        if isinstance(action, argparse._SubParsersAction):
            found += [choice.help for choice in action._choices_actions if choice.help]
    return found


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every help text, description and epilog of `parser` and of its subcommands."""
    found = shown(parser)
    for sub in subcommands(parser).values():
        found += texts(sub)
    return found


def test_every_help_text_has_its_indonesian():
    missing = sorted({text for text in texts(build_parser()) if help_id.indonesian(text) is None})
    assert missing == [], "add these to langkah/cli/help_id.py"


def test_no_indonesian_is_kept_for_a_text_the_parser_no_longer_has():
    used = set(texts(build_parser()))
    assert sorted(set(help_id.HELP) - used) == []


@pytest.mark.parametrize("command", [[], ["input"], ["complete"], ["export-xlsx"], ["migrate"]])
def test_the_help_is_in_bahasa_indonesia_by_default_and_english_on_request(command, capsys):
    with pytest.raises(SystemExit):
        main([*command, "--help"])
    said = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--lang", "en", *command, "--help"])
    english = capsys.readouterr().out
    assert said.startswith("penggunaan: langkah") and "\nopsi:\n" in said
    assert "tampilkan bantuan ini lalu keluar" in said
    assert english.startswith("usage: langkah") and "\noptions:\n" in english
    assert "show this help message and exit" in english
    parser = build_parser()
    for text in shown(subcommands(parser)[command[0]] if command else parser):
        first_words = " ".join(text.split()[:4])
        assert first_words in " ".join(english.split())
        indonesian = help_id.indonesian(text)
        assert indonesian is not None
        assert " ".join(indonesian.split()[:4]) in " ".join(said.split())


def test_the_answer_words_are_listed_in_both_languages(capsys):
    from langkah.engine.vocabulary import ANSWERS

    with pytest.raises(SystemExit):
        main(["complete", "--help"])
    flat = " ".join(capsys.readouterr().out.split())
    assert "untuk langkah keputusan" in flat
    for word in ANSWERS:
        assert word in flat
