"""The corpus manifest: listed documents, unlisted files, missing files, broken YAML."""

from __future__ import annotations

import pytest
from ingest_support import CORPUS

from ingest.manifest import ManifestError, load_manifest, slugify


def test_real_manifest_describes_all_five_documents():
    metas, problems = load_manifest(CORPUS)
    assert problems == []
    assert [m.doc_id for m in metas] == ["zk-jop", "alkmaar-ua", "nk-op", "haarlem-besluit", "haaglanden-rapport"]
    zk = metas[0]
    assert zk.region == "Zuid-Kennemerland" and "Haarlem" in zk.gemeenten and zk.year == "2022 e.v."


def test_unlisted_file_gets_default_meta_and_missing_file_is_reported(tmp_path):
    (tmp_path / "manifest.yaml").write_text(
        "documents:\n"
        "  - doc_id: a\n    file: a.txt\n    title: Plan A\n    region: Haaglanden\n    year: 2023\n"
        "  - doc_id: weg\n    file: verdwenen.txt\n    title: Weg\n",
        encoding="utf-8",
    )
    (tmp_path / "a.txt").write_text("Plan A\n", encoding="utf-8")
    (tmp_path / "Nieuw Plan_2024.txt").write_text("\n\n  ## **Ondersteuningsplan\u00a0Nieuw**  \nTekst\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("uitleg", encoding="utf-8")
    (tmp_path / ".verborgen.txt").write_text("x", encoding="utf-8")
    (tmp_path / "inventories").mkdir()
    (tmp_path / "inventories" / "lijst.txt").write_text("x", encoding="utf-8")
    metas, problems = load_manifest(tmp_path)
    assert [m.doc_id for m in metas] == ["a", "nieuw-plan-2024"]
    assert metas[0].year == "2023" and metas[0].region == "Haaglanden"
    extra = metas[1]
    assert extra.title == "Ondersteuningsplan Nieuw" and extra.region == "onbekend" and extra.file == "Nieuw Plan_2024.txt"
    assert len(problems) == 1 and "verdwenen.txt" in problems[0] and "bestaat niet" in problems[0]


def test_broken_yaml_is_a_clear_dutch_error(tmp_path):
    (tmp_path / "manifest.yaml").write_text("documents:\n  - doc_id: a\n    file: [a.txt\n", encoding="utf-8")
    with pytest.raises(ManifestError) as excinfo:
        load_manifest(tmp_path)
    assert "manifest.yaml" in str(excinfo.value) and "geen geldige YAML" in str(excinfo.value)


def test_wrong_shape_is_a_clear_error(tmp_path):
    (tmp_path / "manifest.yaml").write_text("- gewoon een lijst\n", encoding="utf-8")
    with pytest.raises(ManifestError, match="onverwachte vorm"):
        load_manifest(tmp_path)


def test_slugify():
    assert slugify("000_850f77c37ca038ad.txt") == "000-850f77c37ca038ad"
    assert slugify("Financiële Paragraaf (v2).docx") == "financiele-paragraaf-v2"


def test_unlisted_docx_takes_its_title_from_the_first_paragraph(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("Ondersteuningsplan Rijnmond", level=1)
    document.add_paragraph("Tekst.")
    document.save(str(tmp_path / "rijnmond.docx"))
    (tmp_path / "kapot.docx").write_bytes(b"geen zip")
    metas, problems = load_manifest(tmp_path)
    titles = {m.file: m.title for m in metas}
    assert titles == {"kapot.docx": "kapot", "rijnmond.docx": "Ondersteuningsplan Rijnmond"} and problems == []
