"""The message catalogues as ``make translations`` writes them: the template holds every
message of the source, each of the five languages translates all of them, and the files are
in the form the target's pybabel options give, so that a run changes only what is new (not
~7,000 re-wrapped lines, which made everyone add entries by hand)."""
import io
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "app/translations"
LANGUAGES = ["fr", "es", "ru", "zh", "ar"]
CATALOGUES = [TRANSLATIONS / "messages.pot"] + [TRANSLATIONS / f"{lang}/LC_MESSAGES/messages.po" for lang in LANGUAGES]


def _read(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def _target_commands() -> list[str]:
    """The pybabel command lines of the Makefile's ``translations`` target, variables expanded."""
    text = (ROOT / "Makefile").read_text()
    variables = dict(re.findall(r"^(\w+)\s*:?=\s*(.*?)\s*$", text, re.M))
    body = re.search(r"^translations:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    expand = lambda line: re.sub(r"\$\((\w+)\)", lambda m: variables.get(m.group(1), m.group(0)), line)  # noqa: E731
    return [expand(line.strip()) for line in body.splitlines() if "pybabel" in line]


def _width() -> int:
    commands = _target_commands()
    extract, update = (next(c for c in commands if f"pybabel {verb} " in c) for verb in ("extract", "update"))
    widths = {re.search(r"--width[ =](\d+)", c).group(1) for c in (extract, update) if "--width" in c}
    assert len(widths) == 1 and "--width" in extract and "--width" in update, commands
    assert "--no-fuzzy-matching" in update and "--ignore-pot-creation-date" in update, update
    return int(widths.pop())


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name if p.suffix == ".po" else "pot")
def test_each_catalogue_is_written_as_make_translations_writes_it(path):
    """Read and written again at the target's width, the file is unchanged: an entry added by
    hand is wrapped like the others (else the next run re-wraps it)."""
    width = _width()
    original = path.read_bytes()
    out = io.BytesIO()
    write_po(out, _read(path), width=width)
    if out.getvalue() != original:
        written = set(out.getvalue().decode().splitlines())
        changed = [line for line in original.decode().splitlines() if line not in written]
        pytest.fail(f"{path.relative_to(ROOT)} is not as pybabel writes it at --width {width} (run the pybabel "
                    f"update command of the Makefile's translations target by hand); lines that differ: {changed[:5]}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_of_the_template_is_translated(lang):
    """Non-empty (every plural form) and not fuzzy: gettext shows an untranslated or fuzzy entry in English."""
    catalog = _read(TRANSLATIONS / f"{lang}/LC_MESSAGES/messages.po")
    missing = []
    for template in _read(TRANSLATIONS / "messages.pot"):
        if not template.id:
            continue
        message = catalog.get(template.id)
        strings = () if message is None else (message.string if isinstance(message.string, tuple) else (message.string,))
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(template.id)
    assert not missing, f"{len(missing)} untranslated or fuzzy in {lang}: {missing[:10]}"


def test_the_template_holds_every_message_of_the_source(tmp_path):
    """The committed messages.pot is the one extraction gives now (same msgids, line numbers
    aside): a msgid added to the code goes through extract and update, not by hand into a .po."""
    command = next(c for c in _target_commands() if "pybabel extract " in c)
    args = command.split()[2:]
    args[args.index("-o") + 1] = str(tmp_path / "messages.pot")
    args[args.index("-F") + 1] = str(ROOT / "babel.cfg")
    args[-1] = str(ROOT)
    CommandLineInterface().run(["pybabel", "-q", "extract", *args])
    extracted = {m.id for m in _read(tmp_path / "messages.pot") if m.id}
    committed = {m.id for m in _read(TRANSLATIONS / "messages.pot") if m.id}
    assert extracted == committed, {"not in messages.pot": sorted(map(str, extracted - committed))[:10],
                                    "no longer in the source": sorted(map(str, committed - extracted))[:10]}
