"""What every loader shares: the error type, the loaded result and text decoding."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class LoadError(Exception):
    """A file that cannot be loaded; the message is Dutch and names the file."""


@dataclass
class Loaded:
    """What a format gives: raw pages (one page for formats without pages) and file metadata."""

    pages: list[str]
    has_pages: bool
    file_meta: dict[str, str] = field(default_factory=dict)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def looks_like_text(text: str) -> bool:
    """True when ``text`` reads as natural-language text, not decoded binary noise."""
    if not text.strip():
        return False
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > max(2, len(sample) // 1000):
        return False
    plain = sum(1 for ch in sample if ch.isalnum() or ch.isspace() or ch in ".,;:!?'\"()-/&%+*#|<>=[]_€’‘“”–•")
    letters = sum(1 for ch in sample if ch.isalpha())
    spaces = sum(1 for ch in sample if ch.isspace())
    return plain / len(sample) >= 0.9 and letters / len(sample) >= 0.4 and spaces > 0


def decode_text(data: bytes, name: str) -> str:
    """Decode file bytes: UTF-8 first, Windows-1252 only when the result reads as text.

    Raises:
        LoadError: binary content, or bytes that are text in neither encoding.
    """
    if b"\x00" in data[:8192]:
        raise LoadError(f"Bestand {name} is een binair bestand, geen tekst.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise LoadError(
                f"Bestand {name} is niet te lezen als tekst (geen UTF-8 of Windows-1252)."
            ) from exc
        if not looks_like_text(text):
            raise LoadError(f"Bestand {name} is niet te lezen als tekst (geen UTF-8; onleesbare tekens).")
    if not looks_like_text(text):
        raise LoadError(f"Bestand {name} bevat geen leesbare tekst (binaire of onleesbare inhoud).")
    return text.replace("\r\n", "\n").replace("\r", "\n")
