"""Check that the C stemmer (PyStemmer) gives exactly the stems of the pure-Python snowballstemmer.

Every word the text analysis would stem is checked: the tokens of the corpus documents (and of
any further folders given, e.g. an external evaluation set), the question sets, the lexicon, and
the dictionary forms simplemma gives for them. Prints the number of words and every difference;
exits 1 on a difference, so the switch in :mod:`assistant.core.text` stays proven.

Usage: python scripts/check_stemmer.py [EXTRA_DIR ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _texts(folders: list[Path]) -> list[str]:
    texts = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix in {".txt", ".md", ".yaml", ".yml", ".jsonl", ".json", ".html"} and path.is_file():
                texts.append(path.read_text(encoding="utf-8", errors="ignore"))
    return texts


def main(argv: list[str]) -> int:
    import simplemma
    import snowballstemmer
    import Stemmer

    from assistant.core.text import fold, tokens

    folders = [ROOT / "corpus", ROOT / "evals", ROOT / "assistant" / "core" / "lexicon", *map(Path, argv)]
    found: set[str] = set()
    for text in _texts(folders):
        for token in tokens(fold(text)):
            found.update(p for p in token.replace("&", "-").replace("'", "-").replace("@", "-").replace("§", "-")
                         .split("-") if p)
            found.add("".join(p for p in token.split("-") if p))
    found |= {fold(simplemma.lemmatize(w, lang="nl").replace("_", "")) for w in list(found)}
    python, c = snowballstemmer.stemmer("dutch_porter"), Stemmer.Stemmer("dutch_porter")
    words = sorted(found)
    differ = [(w, a, b) for w, a, b in zip(words, python.stemWords(words), c.stemWords(words)) if a != b]
    print(f"{len(words)} woorden vergeleken; {len(differ)} verschillen")
    for word, a, b in differ[:50]:
        print(f"  {word!r}: snowballstemmer {a!r}, PyStemmer {b!r}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
