"""The web chat for coaches and schools (Gradio Blocks), mounted at ``/`` of the API app.

Two tabs:

- **Vraag stellen**: a chat with streamed answers (with an LLM configured, the extractive answer
  first and the verified LLM answer replacing it in the same bubble); under the latest answer its citations as chips
  ("[1] Titel, p. 5"); a chip opens the passage in the source panel with the used sentences in
  ``<mark>``, plus document title, page and section. Clicking an older answer shows its chips
  again. Thumbs up/down on an answer stores feedback. Follow-ups send the earlier turns along.
- **Wie moet ik inschakelen?**: woongemeente + gemeente of the school (+ need, level) -> the route
  from the regional inventory, each step with its source, openable like a citation.

Callbacks only call the assistant (through :class:`ui.runtime.Runtime`) and render its results.
"""

from __future__ import annotations

import html
import time
from functools import partial

import gradio as gr

from assistant.answer.llm import Progress
from assistant.answer.streaming import replaced
from assistant.core.types import Answer, Message
from assistant.inventory.resolve import resolve_contact
from ui.contact import render_resolution_html, resolution_sources
from ui.runtime import ALL_REGIONS, GENERATING, InputError, NotReady, Runtime, answer_pieces
from ui.schemas import FeedbackRequest
from ui.sources import page_label, render_source_html, source_view

EXAMPLES = [  # questions that fit any region's plans; the region is chosen above the chat
    "welke onderwijs-zorgarrangementen lopen er in het vo?",
    "wie pakt de 5a-vrijstellingen op?",
    "hoe vraag ik een tlv aan?",
    "wie is verantwoordelijk als een thuiszitter geen aanbod heeft?",
]
NEEDS = ["", "jeugdhulp", "zorgen over een leerling", "passend onderwijs", "TLV aanvragen", "verzuim / leerplicht",
         "thuiszitter", "escalatie (het loopt vast)"]
LEVELS = ["", "PO", "VO", "SO", "VSO", "SBO", "PrO", "MBO"]
_STREAM_PAUSE_S = 0.02
_PROGRESS_EVERY_S = 1.0
LLM_NOTE = "Korte samenvatting door het taalmodel; elke zin is gecontroleerd tegen de bron die erachter staat."
_PANEL_EMPTY = ('<div class="wg-source-empty">Klik op een bron onder een antwoord ([1], [2], …) om de passage '
                "hier te lezen, met de gebruikte zinnen gemarkeerd.</div>")

CSS = """
.wg-chips { gap: 6px !important; flex-wrap: wrap !important; }
.wg-chip { flex: 0 1 auto !important; min-width: 0 !important; max-width: 100% !important;
  border-radius: 999px !important; font-size: 0.85rem !important; padding: 4px 12px !important;
  white-space: normal !important; text-align: left !important; justify-content: flex-start !important;
  height: auto !important; }
.wg-source mark { background: #fde68a; padding: 0 2px; border-radius: 3px; }
.wg-source-title { margin: 0 0 4px 0; font-size: 1.05rem; }
.wg-source-meta, .wg-source-section, .wg-route-meta { color: #4b5563; font-size: 0.85rem; margin: 2px 0; }
.wg-passage { border-left: 4px solid #f59e0b; margin: 8px 0; padding: 6px 10px; background: #fffbeb;
  white-space: normal; word-break: break-word; }
.wg-context { color: #6b7280; font-size: 0.85rem; margin: 4px 0; }
.wg-origin-label { margin-top: 14px; font-weight: 600; }
.wg-source .wg-source { border-top: 1px solid #e5e7eb; padding-top: 8px; }
.wg-source-empty { color: #6b7280; font-style: italic; }
.wg-route-message { font-weight: 600; }
.wg-route-list li { margin-bottom: 8px; }
.wg-route-first { border-left: 4px solid #2563eb; background: #eff6ff; padding: 8px 12px; margin: 8px 0; }
.wg-route-step { font-size: 0.8rem; text-transform: uppercase; color: #1d4ed8; margin: 0 0 4px 0; }
.wg-route-party { font-size: 1.1rem; font-weight: 700; }
.wg-route-more summary { cursor: pointer; color: #1d4ed8; margin: 6px 0; }
.wg-ref { color: #b45309; font-weight: 600; }
.wg-status { border-radius: 8px; padding: 6px 10px; background: #fef3c7; }
@media (max-width: 640px) {
  .wg-chip { font-size: 0.8rem !important; }
  h1 { font-size: 1.4rem !important; }
}
"""

_SCROLL_TO_PANEL = ("() => { const el = document.getElementById('wg-source-panel'); "
                    "if (el && window.innerWidth < 900) el.scrollIntoView({behavior: 'smooth', block: 'start'}); }")


# -- pure helpers ---------------------------------------------------------------------------------
def chip_label(citation: dict, width: int = 46) -> str:
    title = citation["title"] if len(citation["title"]) <= width else citation["title"][: width - 1].rstrip() + "…"
    page = f", {page_label(citation.get('page'))}" if citation.get("page") else ""
    return f"[{citation['n']}] {title}{page}"


def shown_literally(text: str) -> str:
    """Text for a chat bubble (Markdown): HTML in questions and document text is shown, never rendered."""
    return html.escape(text, quote=False)


def message_text(answer: Answer, body: str | None = None) -> str:
    """The chat bubble: the answer (or its first part while streaming) and a short source line."""
    text = shown_literally(answer.answer if body is None else body)
    if body is None and answer.citations:
        refs = "; ".join(f"[{c.n}] {c.title}" + (f", {page_label(c.page)}" if c.page else "") for c in answer.citations)
        text += f"\n\n<small>Bronnen: {html.escape(refs)}</small>"
    if body is None and answer.mode == "llm":
        text += f"\n\n<small>{LLM_NOTE}</small>"
    return text


def history_of(turns: list[dict], runtime: Runtime) -> list[Message]:
    """Earlier turns as messages for a follow-up, newest kept within the configured limits."""
    messages: list[Message] = []
    for turn in turns:
        if turn.get("answer"):
            messages += [Message(role="user", content=turn["question"]),
                         Message(role="assistant", content=turn["answer"]["answer"])]
    settings = runtime.settings
    messages = messages[-settings.max_history_messages:]
    while messages and sum(len(m.content) for m in messages) > settings.max_history_chars:
        messages = messages[2:] if len(messages) > 1 else []
    return messages


# -- callbacks --------------------------------------------------------------------------------------
def _respond(runtime: Runtime, question: str, chat: list, turns: list, region: str):
    """Streamed answer: yields (textbox, chatbot, turns, citations) as the bubble fills."""
    chat, turns = list(chat or []), list(turns or [])
    try:
        question = runtime.check_question(question or "")
    except InputError as exc:
        gr.Warning(str(exc))
        yield question, chat, turns, gr.skip()
        return
    chat += [{"role": "user", "content": shown_literally(question)},
             {"role": "assistant", "content": "_Wegwijs zoekt in de bronnen…_"}]
    yield "", chat, turns, []
    try:
        answer = runtime.answer(question, history=history_of(turns, runtime), region=runtime.check_region(region),
                                generate=False)  # at once; a configured LLM's verified answer replaces it below
    except (NotReady, InputError) as exc:
        chat[-1] = {"role": "assistant", "content": f"⚠️ {shown_literally(str(exc))}"}
        turns.append({"question": question, "answer": None})
        yield "", chat, turns, []
        return
    except Exception:  # noqa: BLE001 - show a Dutch message instead of a broken page
        runtime_log_exception()
        chat[-1] = {"role": "assistant", "content": "⚠️ Er ging iets mis bij het maken van het antwoord. "
                                                    "Probeer het opnieuw."}
        turns.append({"question": question, "answer": None})
        yield "", chat, turns, []
        return
    shown = ""
    for piece in answer_pieces(answer.answer):
        shown += piece
        chat[-1] = {"role": "assistant", "content": message_text(answer, shown)}
        yield "", list(chat), turns, gr.skip()  # a fresh list per step: each is its own snapshot
        time.sleep(_STREAM_PAUSE_S)
    turns.append({"question": question, "answer": answer.model_dump()})
    yield from _replace_when_verified(runtime, answer, chat, turns)


def _replace_when_verified(runtime: Runtime, answer: Answer, chat: list, turns: list):
    """The extractive answer stands in the bubble; with an LLM a note shows it is writing, and the
    verified LLM answer replaces the bubble (and the chips, and the turn) when ready. On a fallback
    the note goes and the extractive answer stays."""
    citations = [c.model_dump() for c in answer.citations]
    try:
        items = runtime.generation(answer)
        first = next(items, None)
    except Exception:  # noqa: BLE001 - the extractive answer is there; it stays
        runtime_log_exception()
        first = None
    if first is None:
        chat[-1] = {"role": "assistant", "content": message_text(answer)}
        yield "", chat, turns, citations
        return
    chat[-1] = {"role": "assistant", "content": message_text(answer) + pending_note(0)}
    yield "", list(chat), turns, citations
    final, shown_at = None, 0.0
    try:
        for item in items:
            if isinstance(item, Progress):
                if item.seconds - shown_at >= _PROGRESS_EVERY_S:
                    shown_at = item.seconds
                    chat[-1] = {"role": "assistant", "content": message_text(answer) + pending_note(item.tokens)}
                    yield "", list(chat), turns, gr.skip()
            else:
                final = replaced(answer, item)
    except Exception:  # noqa: BLE001 - the extractive answer is there; it stays
        runtime_log_exception()
    if final is None:
        chat[-1] = {"role": "assistant", "content": message_text(answer)}
        yield "", list(chat), turns, gr.skip()
        return
    chat[-1] = {"role": "assistant", "content": message_text(final)}
    turns[-1] = {"question": turns[-1]["question"], "answer": final.model_dump()}
    yield "", list(chat), turns, [c.model_dump() for c in final.citations]


def pending_note(tokens: int) -> str:
    """The line under an extractive answer while the LLM writes its shorter, checked version."""
    count = f" ({tokens} tokens)" if tokens else ""
    return f"\n\n<small><em>{html.escape(GENERATING)}{count}</em></small>"


def runtime_log_exception() -> None:
    from ui.runtime import log

    log.exception("Antwoorden in de webchat mislukt")


def _show_source(runtime: Runtime, chunk_id: str, quote: str, n: int | None = None) -> str:
    try:
        bot = runtime.warm()
    except NotReady as exc:
        return f'<div class="wg-status">⚠️ {html.escape(str(exc))}</div>'
    view = source_view(bot.index, chunk_id, quote, getattr(bot, "inventory", None))
    if view is None:
        return '<div class="wg-status">Deze passage staat niet (meer) in de index. Stel de vraag opnieuw.</div>'
    head = f'<p class="wg-source-label">Bron [{n}]</p>' if n else ""
    return head + render_source_html(view)


def _select_turn(turns: list, evt: gr.SelectData):
    """Clicking an answer bubble shows the chips of that answer again."""
    index = evt.index if isinstance(evt.index, int) else evt.index[0]
    turn_no = index // 2
    if 0 <= turn_no < len(turns or []) and turns[turn_no].get("answer"):
        return turns[turn_no]["answer"]["citations"]
    return gr.skip()


def _like(runtime: Runtime, turns: list, evt: gr.LikeData) -> None:
    index = evt.index if isinstance(evt.index, int) else evt.index[0]
    turn_no = index // 2
    if not (0 <= turn_no < len(turns or [])) or not turns[turn_no].get("answer"):
        return
    answer = Answer.model_validate(turns[turn_no]["answer"])
    rating = "up" if evt.liked is True or evt.liked == "Like" else "down"
    stored = runtime.record_feedback(FeedbackRequest(question=answer.question, answer=answer.answer,
                                                     citations=answer.citations, rating=rating), source="web")
    gr.Info("Bedankt voor je feedback!" if stored is not None else "Bedankt! Deze installatie bewaart geen feedback.")


def _on_load(runtime: Runtime):
    try:
        bot = runtime.warm()
    except NotReady as exc:
        warning = f"⚠️ Wegwijs is nog niet klaar: {exc}"
        return (gr.update(choices=[ALL_REGIONS]), gr.update(), gr.update(),
                gr.update(value=warning, visible=True), gr.update())
    gemeenten = runtime.gemeenten()
    return (gr.update(choices=[ALL_REGIONS, *bot.regions], value=ALL_REGIONS),
            gr.update(choices=gemeenten), gr.update(choices=["", *gemeenten]), gr.update(visible=False),
            gr.update(value=header_text(bot.regions)))


def header_text(regions: list[str]) -> str:
    """The page header, naming the regions the index covers."""
    where = (", ".join(regions[:-1]) + " en " + regions[-1]) if len(regions) > 1 else "".join(regions)
    return "# Wegwijs\nAntwoorden mét bronnen over onderwijs en jeugdhulp" + (f" in {where}." if where else ".")


def _route(runtime: Runtime, woongemeente: str, schoolgemeente: str, need: str, level: str):
    if not woongemeente:
        return '<div class="wg-status">Kies eerst de woongemeente van de leerling.</div>', []
    try:
        bot = runtime.warm()
    except NotReady as exc:
        return f'<div class="wg-status">⚠️ {html.escape(str(exc))}</div>', []
    if getattr(bot, "inventory", None) is None:
        return '<div class="wg-status">De regionale inventaris is niet geladen.</div>', []
    resolution = resolve_contact(bot.inventory, woongemeente, schoolgemeente=schoolgemeente or None,
                                        need=need or None, level=level or None)
    sources = resolution_sources(bot.index, resolution)
    return render_resolution_html(resolution, sources), [s for s in sources if s["chunk_id"]]


# -- layout -------------------------------------------------------------------------------------------
def build_web(runtime: Runtime) -> gr.Blocks:
    """The Gradio Blocks of the web chat (not yet mounted)."""
    with gr.Blocks(title="Wegwijs – onderwijs en jeugdhulp", analytics_enabled=False) as demo:
        header = gr.Markdown("# Wegwijs\nAntwoorden mét bronnen over onderwijs en jeugdhulp.")
        status = gr.Markdown(visible=False, elem_classes="wg-status")
        with gr.Tabs():
            with gr.Tab("Vraag", id="chat"):
                region = _chat_tab(runtime)
            with gr.Tab("Wie moet ik inschakelen?", id="contact"):
                woon, school = _contact_tab(runtime)
        demo.load(partial(_on_load, runtime), outputs=[region, woon, school, status, header])
    demo.queue(default_concurrency_limit=8)
    return demo


def _chat_tab(runtime: Runtime) -> gr.Dropdown:
    turns = gr.State([])
    citations = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=340):
            region = gr.Dropdown(choices=[ALL_REGIONS], value=ALL_REGIONS, label="Regio", interactive=True,
                                 elem_id="wg-region")
            chatbot = gr.Chatbot(label="Gesprek", height=460, elem_id="wg-chat", buttons=["copy"],
                                 placeholder="Stel een vraag over routes, arrangementen, wie wat doet of wie je "
                                             "moet bellen. Elk antwoord noemt zijn bronnen.")
            with gr.Row():
                question = gr.Textbox(placeholder="Typ je vraag…", show_label=False, scale=5, lines=1,
                                      max_lines=4, elem_id="wg-question", container=False)
                send = gr.Button("Vraag", variant="primary", scale=1, min_width=80, elem_id="wg-send")

            @gr.render(inputs=citations)
            def _chips(items: list):
                if not items:
                    return
                gr.Markdown("**Bronnen bij dit antwoord** (klik om de passage te openen):")
                with gr.Row(elem_classes="wg-chips", elem_id="wg-chips"):
                    for item in items:
                        chip = gr.Button(chip_label(item), size="sm", elem_classes="wg-chip", variant="secondary")
                        chip.click(partial(_show_source, runtime, item["chunk_id"], item["quote"], item["n"]),
                                   outputs=source_panel).then(None, js=_SCROLL_TO_PANEL)

            gr.Examples(EXAMPLES, inputs=question, label="Voorbeeldvragen")
            new_chat = gr.Button("Nieuw gesprek", size="sm", variant="secondary")
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("### Bronpassage")
            source_panel = gr.HTML(_PANEL_EMPTY, elem_id="wg-source-panel")

    respond = partial(_respond, runtime)
    ins, outs = [question, chatbot, turns, region], [question, chatbot, turns, citations]
    question.submit(respond, ins, outs)
    send.click(respond, ins, outs)
    chatbot.select(_select_turn, inputs=turns, outputs=citations)
    def like(turns_value: list, evt: gr.LikeData) -> None:  # gradio injects LikeData by annotation
        _like(runtime, turns_value, evt)

    chatbot.like(like, inputs=turns, outputs=None)
    new_chat.click(lambda: ([], [], [], _PANEL_EMPTY), outputs=[chatbot, turns, citations, source_panel])
    # the chatbot's own bin icon empties the bubbles; forget the turns with them
    chatbot.clear(lambda: ([], [], _PANEL_EMPTY), outputs=[turns, citations, source_panel])
    return region


def _contact_tab(runtime: Runtime):
    gr.Markdown("Kies waar de leerling **woont** en waar de **school** staat. Jeugdhulp loopt via de gemeente "
                "waar de leerling woont; passend onderwijs via het samenwerkingsverband van de school.")
    route_sources = gr.State([])
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=340):
            with gr.Row():
                woon = gr.Dropdown(choices=[], label="Woongemeente van de leerling", elem_id="wg-woon",
                                   allow_custom_value=True, min_width=160)
                school = gr.Dropdown(choices=[""], value="", label="Gemeente van de school (optioneel)",
                                     elem_id="wg-school", allow_custom_value=True, min_width=160)
            with gr.Row():
                need = gr.Dropdown(choices=NEEDS, value="", label="Waarvoor? (optioneel)", allow_custom_value=True,
                                   elem_id="wg-need", min_width=160)
                level = gr.Dropdown(choices=LEVELS, value="", label="Onderwijs (optioneel)", elem_id="wg-level",
                                    min_width=120)
            find = gr.Button("Zoek de route", variant="primary", elem_id="wg-route-btn")
            route_html = gr.HTML('<div class="wg-source-empty">De route verschijnt hier, met de bronnen.</div>',
                                 elem_id="wg-route")

            @gr.render(inputs=route_sources)
            def _route_chips(items: list):
                if not items:
                    return
                with gr.Row(elem_classes="wg-chips", elem_id="wg-route-chips"):
                    for item in items:
                        chip = gr.Button(chip_label(item), size="sm", elem_classes="wg-chip", variant="secondary")
                        chip.click(partial(_show_source, runtime, item["chunk_id"], item["quote"], item["n"]),
                                   outputs=route_panel).then(None, js=_SCROLL_TO_PANEL.replace(
                                       "wg-source-panel", "wg-route-panel"))
        with gr.Column(scale=2, min_width=300):
            gr.Markdown("### Bronpassage")
            route_panel = gr.HTML(_PANEL_EMPTY.replace("onder een antwoord", "onder de route"),
                                  elem_id="wg-route-panel")
    find.click(partial(_route, runtime), inputs=[woon, school, need, level], outputs=[route_html, route_sources])
    return woon, school


def mount_web(app, runtime: Runtime) -> None:
    """Mount the web chat at ``/`` of ``app``: no CDN, no analytics, no footer links."""
    theme = gr.themes.Soft(font=["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
                           font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"])
    from ui.security import web_auth

    gr.mount_gradio_app(app, build_web(runtime), path="/", footer_links=[], ssr_mode=False, mcp_server=False,
                        enable_monitoring=False, pwa=False, run_history=False, show_error=True, theme=theme,
                        css=CSS, js="() => { document.documentElement.lang = 'nl'; }",
                        auth=web_auth(runtime.settings), auth_message="Log in om Wegwijs te gebruiken.")
