"""``wegwijs serve``: build the index if there is none, warm up, then serve API and web chat.

Example::

    python -m assistant serve --port 8000
    # Wegwijs draait op http://127.0.0.1:8000  (API: /api, documentatie: /docs)
"""

from __future__ import annotations

import os
import sys

from assistant.core.settings import Settings
from assistant.core.index import IndexError_, current_generation


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8000, workers: int = 1) -> int:
    """Run Wegwijs until interrupted; returns the process exit code.

    With ``workers`` > 1 uvicorn starts that many processes (:func:`ui.api.app_from_env`), each
    warming up on its own and following a new index generation on its own; they read the same
    generation on disk. The data and corpus folders are passed to them in the environment.
    """
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported
    from assistant.answer.engine import Assistant
    from ingest.pipeline import IngestError, run_ingest

    if current_generation(settings) is None:
        print("Er is nog geen index; die wordt nu gebouwd (eenmalig, dit duurt enkele minuten)…", flush=True)
        try:
            report = run_ingest(settings, progress=True)
        except IngestError as exc:
            print(f"Fout: {exc}", file=sys.stderr)
            return 1
        print(report.summary(), flush=True)
    import uvicorn

    if workers > 1:
        # the workers read their settings from the environment: give them this run's folders
        os.environ["WEGWIJS_DATA_DIR"] = str(settings.data_dir)
        os.environ["WEGWIJS_CORPUS_DIR"] = str(settings.corpus_dir)
        app, options = "ui.api:app_from_env", {"factory": True, "workers": workers}
        print(f"{workers} workers worden gestart; elk laadt de index zelf (zie /readyz).", flush=True)
    else:
        print("De assistent wordt opgewarmd (index en model laden)…", flush=True)
        assistant = Assistant(settings)
        try:
            assistant.warm_up()
        except IndexError_ as exc:
            print(f"Fout: {exc}", file=sys.stderr)
            return 1
        from ui.api import create_app

        app, options = create_app(settings, assistant), {}
    _warn_if_open(settings, host)
    shown = f"[{host}]" if ":" in host else host
    print(f"Wegwijs draait op http://{shown}:{port}  (API: /api, documentatie: /docs). Stoppen: Ctrl+C", flush=True)
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, **options)
    except (OSError, SystemExit) as exc:  # uvicorn exits when the port is taken
        print(f"Fout: Wegwijs kon niet starten op {host}:{port} ({exc or 'adres in gebruik?'}).", file=sys.stderr)
        return 1
    return 0


def _warn_if_open(settings: Settings, host: str) -> None:
    """Say so when Wegwijs listens beyond this machine without an API key or a web login."""
    from ui.security import is_loopback, web_users

    if is_loopback(host):
        return
    if settings.api_key is None:
        print(f"Let op: Wegwijs luistert op {host} zonder API-sleutel; iedereen die de poort bereikt kan de API "
              "gebruiken. Zet WEGWIJS_API_KEY.", file=sys.stderr, flush=True)
    if not web_users(settings):
        print(f"Let op: de webchat op {host} heeft geen login. Zet WEGWIJS_WEB_USERS=\"naam:wachtwoord\".",
              file=sys.stderr, flush=True)
