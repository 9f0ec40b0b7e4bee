"""The README documents every command, and every command has help."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from selftrack.cli import cli

README = (Path(__file__).parents[2] / "README.md").read_text()


def _commands(group: click.Group, prefix: str = "selftrack"):
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from _commands(command, full)
        else:
            yield full, command


COMMANDS = list(_commands(cli))


def test_there_are_commands():
    assert len(COMMANDS) >= 8


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_command_is_in_readme_reference(name):
    assert re.search(rf"`{re.escape(name)}(`| )", README), f"{name} is missing from README.md"


@pytest.mark.parametrize("name,command", COMMANDS)
def test_command_has_help(name, command):
    assert command.help and command.help.strip()
    result = CliRunner().invoke(cli, [*name.split()[1:], "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_readme_opens_with_the_two_commands():
    block = README.split("```sh", 1)[1].split("```", 1)[0].strip().splitlines()
    assert len(block) == 2
    assert block[0].endswith("selftrack") and "pip install ." in block[0]
    assert "pytest" in block[1] and ".[test," in block[1] and "postgres]" in block[1]
