import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..extensions import db
from ..questionnaire.catalog import VersionConflict
from ..questionnaire.export import normalised
from ..questionnaire.loader import DefinitionError, load_definition, load_directory


@click.group(help="Validate, list, export and publish questionnaire definitions.")
def cli():
    pass


@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths):
    """Validate the shipped definitions, or the given files. Exit 1 on any problem."""
    problems, count = [], 0
    if paths:
        for path in paths:
            try:
                load_definition(path)
                count += 1
            except DefinitionError as exc:
                problems.extend(exc.problems)
    else:
        from config import Config

        try:
            count = len(load_directory(Path(Config.QUESTIONNAIRE_DIR)))
        except DefinitionError as exc:
            problems.extend(exc.problems)
    for line in problems:
        click.echo(line)
    if problems:
        sys.exit(1)
    click.echo(f"{count} definition(s) valid")


@cli.command("list")
@with_appcontext
def list_():
    """One line per questionnaire: id, version, title, item count."""
    for q in current_app.extensions["catalog"].all():
        click.echo(f"{q.id}\t{q.version}\t{q.title['en']}\t{len(q.scored_items)}")


@cli.command("export")
@click.argument("questionnaire_id")
@click.option("--version", default=None, help="Default: the latest version.")
@click.option("--format", "fmt", type=click.Choice(["json", "xlsform"]), default="json", show_default=True)
@click.option("--lang", default=None, help="xlsform: the form's default language (default: en).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (required for xlsform).")
@with_appcontext
def export(questionnaire_id, version, fmt, lang, output):
    """Print the normalised definition, or write it as an XLSForm for ODK and KoboToolbox."""
    catalog = current_app.extensions["catalog"]
    q = catalog.get(questionnaire_id, version) if version else catalog.latest(questionnaire_id)
    if q is None:
        raise click.ClickException(f"no questionnaire {questionnaire_id}" + (f" version {version}" if version else ""))
    if fmt == "xlsform":
        from ..errors import RequestError
        from ..workbooks import service

        if output is None:
            raise click.UsageError("--format xlsform writes a workbook: give -o FILE.xlsx")
        try:
            _q, lang = service.xlsform_for(q.id, q.version, lang)
        except RequestError as exc:
            raise click.ClickException(f"{exc.message}: {exc.details}") from None
        output.write_bytes(service.xlsform_bytes(q, lang))
        click.echo(f"wrote {output} (XLSForm of {q.id} {q.version})")
        return
    text = json.dumps(normalised(q), ensure_ascii=False, indent=2)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


@cli.command("publish")
@with_appcontext
def publish():
    """Record the installed definitions in the database (refuses changed published content)."""
    try:
        created = current_app.extensions["catalog"].publish(db.session)
    except VersionConflict as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    for row in created:
        click.echo(f"published {row.questionnaire_id} {row.version}")
    click.echo(f"{len(created)} new version(s) published")


@cli.command("schema")
def schema():
    """Print the JSON Schema of a definition file (for editor completion)."""
    from ..questionnaire.definition import Questionnaire

    click.echo(json.dumps(Questionnaire.model_json_schema(), indent=2))


# -- translations (app.questionnaire.translations) ---------------------------------------------
@cli.group("translations", help="Questionnaire translations beside the definitions: status, "
                                "export to and import from PO files (Poedit, Weblate).")
def translations():
    pass


def _loaded(questionnaire_id: str, version: str | None):
    catalog = current_app.extensions["catalog"]
    q = catalog.get(questionnaire_id, version) if version else catalog.latest(questionnaire_id)
    if q is None:
        raise click.ClickException(f"no questionnaire {questionnaire_id}" + (f" version {version}" if version else ""))
    return catalog.loaded(q.id, q.version)


@translations.command("status")
@with_appcontext
def translations_status():
    """Per version and language: texts translated, missing, stale (English changed since);
    and the editorial corrections of the English, where there are some (language ``en``:
    texts corrected, stale)."""
    from ..questionnaire.translations import CORRECTIONS, UN_LANGUAGES

    click.echo("questionnaire\tversion\tlanguage\ttranslated\tmissing\tstale\trevision")
    for q in current_app.extensions["catalog"].all():
        loaded = current_app.extensions["catalog"].loaded(q.id, q.version)
        total = len(_english(loaded))
        for lang in UN_LANGUAGES[1:]:
            state = loaded.translations.get(lang)
            counts = state.counts if state else {"translated": 0, "missing": total, "stale": 0}
            click.echo(f"{q.id}\t{q.version}\t{lang}\t{counts['translated']}\t{counts['missing']}\t"
                       f"{counts['stale']}\t{(state.revision if state else '') or '-'}")
        corrections = loaded.translations.get(CORRECTIONS)
        if corrections is not None:
            click.echo(f"{q.id}\t{q.version}\t{CORRECTIONS}\t{corrections.counts['translated']}\t-\t"
                       f"{corrections.counts['stale']}\t{corrections.revision or '-'}")


def _english(loaded) -> dict[str, str]:
    """The English as published: what translations translate (never the corrected one)."""
    return loaded.published_english


@translations.command("export")
@click.argument("questionnaire_id")
@click.option("--version", default=None, help="Default: the latest version.")
@click.option("--lang", required=True, help="fr, es, ru, zh or ar")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def translations_export(questionnaire_id, version, lang, output):
    """Write a PO file of every text for translators (current translations filled in, stale
    ones as fuzzy suggestions)."""
    from ..questionnaire.translations import UN_LANGUAGES, po_path, read_language, write_po

    if lang not in UN_LANGUAGES[1:]:
        raise click.ClickException(f"--lang must be one of {', '.join(UN_LANGUAGES[1:])}")
    loaded = _loaded(questionnaire_id, version)
    english = _english(loaded)
    state, _problems = read_language(loaded.path, lang, english)
    stale = {}
    if state.path is not None:
        from babel.messages.pofile import read_po

        with open(po_path(loaded.path, lang), "rb") as handle:
            stale = {m.context: m.string for m in read_po(handle) if m.context in state.stale}
    output.write_bytes(write_po(loaded.path.name, english, lang, state.translations, stale))
    click.echo(f"{output}: {len(english)} texts, {len(state.translations)} translated, "
               f"{len(stale)} stale (fuzzy)")


@translations.command("import")
@click.argument("po_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--questionnaire", "questionnaire_id", required=True)
@click.option("--version", required=True)
@click.option("--lang", required=True)
@with_appcontext
def translations_import(po_file, questionnaire_id, version, lang):
    """Check a translated PO file against the definition and install it beside it; refused
    whole (exit 1, one line per problem) if any entry is wrong."""
    from ..questionnaire.translations import UN_LANGUAGES, po_path, read_language

    if lang not in UN_LANGUAGES[1:]:
        raise click.ClickException(f"--lang must be one of {', '.join(UN_LANGUAGES[1:])}")
    loaded = _loaded(questionnaire_id, version)
    state, problems = read_language(loaded.path, lang, _english(loaded), source=po_file)
    for line in problems:
        click.echo(line)
    if problems:
        sys.exit(1)
    target = po_path(loaded.path, lang)
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(po_file.read_bytes())
    counts = state.counts
    click.echo(f"installed {target}: {counts['translated']} translated, {counts['missing']} missing, "
               f"{counts['stale']} stale; restart the server to use it")
