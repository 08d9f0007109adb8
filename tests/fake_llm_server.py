"""A fake OpenAI-compatible chat server on loopback, for the LLM path over real HTTP.

``POST /v1/chat/completions`` answers with a canned reply: as one JSON body, or with
``"stream": true`` as server-sent events, a few characters a chunk, with the usage chunk when the
client asks for it (``stream_options.include_usage``). ``delay`` holds the first byte back (a
server busy reading the prompt), ``chunk_delay`` paces the chunks (a slow generator). It records
every request body and whether a client hung up before the stream's end.

Example::

    with FakeChatServer(reply="Het antwoord [1].") as server:
        settings = settings.model_copy(update={"llm_base_url": server.url})
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeChatServer:
    def __init__(self, reply: str = "", delay: float = 0.0, chunk_delay: float = 0.0, chunk_chars: int = 4) -> None:
        self.reply = reply
        self.delay = delay
        self.chunk_delay = chunk_delay
        self.chunk_chars = chunk_chars
        self.requests: list[dict] = []
        self.hung_up = threading.Event()  # a client closed the stream before its end
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> "FakeChatServer":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(body)
                time.sleep(fake.delay)
                try:
                    if body.get("stream"):
                        fake._stream(self, body)
                    else:
                        fake._whole(self, body)
                except (BrokenPipeError, ConnectionResetError):
                    fake.hung_up.set()

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> "FakeChatServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- replies ------------------------------------------------------------------------------
    def _usage(self, body: dict) -> dict:
        prompt = sum(len(m.get("content") or "") for m in body.get("messages", [])) // 4
        completion = max(1, len(self.reply) // 4)
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def _whole(self, handler: BaseHTTPRequestHandler, body: dict) -> None:
        payload = {"id": "fake", "object": "chat.completion", "created": 0, "model": body["model"],
                   "choices": [{"index": 0, "finish_reason": "stop",
                                "message": {"role": "assistant", "content": self.reply}}],
                   "usage": self._usage(body)}
        data = json.dumps(payload).encode()
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def _stream(self, handler: BaseHTTPRequestHandler, body: dict) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.end_headers()

        def send(payload: dict | str) -> None:
            text = payload if isinstance(payload, str) else json.dumps(payload)
            handler.wfile.write(f"data: {text}\n\n".encode())
            handler.wfile.flush()

        base = {"id": "fake", "object": "chat.completion.chunk", "created": 0, "model": body["model"]}
        pieces = [self.reply[i:i + self.chunk_chars] for i in range(0, len(self.reply), self.chunk_chars)]
        for k, piece in enumerate(pieces):
            delta = {"content": piece, **({"role": "assistant"} if k == 0 else {})}
            send({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
            time.sleep(self.chunk_delay)
        send({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
        if (body.get("stream_options") or {}).get("include_usage"):
            send({**base, "choices": [], "usage": self._usage(body)})
        send("[DONE]")
