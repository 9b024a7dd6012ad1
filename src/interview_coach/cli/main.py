"""The `coach` application: global options and the command table."""

from __future__ import annotations

import typer

from .. import __version__
from . import bank_cmd, config_cmd, export_cmd, ingest_cmd, job_cmd, mock_cmd, search_cmd, study_cmd, topic_cmd

app = typer.Typer(
    help="Interview Coach: one bilingual bank of GenAI / ML interview questions, from all your files.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"coach {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", envvar="INTERVIEW_COACH_DB", metavar="FILE|URL",
                           help="Bank file, or a postgresql://user@host/db URL for a team server "
                                "(default: $INTERVIEW_COACH_HOME/bank.sqlite3)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    ctx.obj = {"db": db}


app.command("ingest")(ingest_cmd.ingest)
app.command("sources")(ingest_cmd.sources)
app.command("remove")(ingest_cmd.remove)
app.command("list")(bank_cmd.list_)
app.command("show")(bank_cmd.show)
app.command("stats")(bank_cmd.stats)
app.command("export")(export_cmd.export)
app.command("search")(search_cmd.search)
app.command("related")(search_cmd.related)
app.command("link")(search_cmd.link)
app.command("unlink")(search_cmd.unlink)
app.command("link-suggestions")(search_cmd.link_suggestions)
app.command("relink")(search_cmd.relink)
app.command("glossary")(search_cmd.glossary)
app.command("config")(config_cmd.config)
app.command("models")(config_cmd.models)
app.command("grade")(study_cmd.grade)
app.command("drill")(study_cmd.drill)
app.command("topics")(topic_cmd.topics)
app.command("tag")(topic_cmd.tag)
app.add_typer(job_cmd.app, name="job")
app.add_typer(mock_cmd.app, name="mock")

from . import web_cmd  # noqa: E402  (the web UI; imports FastAPI only when `serve` runs)

app.command("serve")(web_cmd.serve)

from . import user_cmd  # noqa: E402

app.add_typer(user_cmd.app, name="user")
