"""Issue 13 points that had no test of their own: the decided 申请表 says what happened to each material (as the
receipt does), and a blank form's multi-line field shows its own hint (家庭财产情况). Real intake on a real SQLite
file, PDFs read back with poppler."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from app.catalog.loader import load_catalog_dir
from app.documents import render as renderer
from app.documents.fonts import load_fonts
from app.documents.forms import render_blank_form
from app.documents.model import DocumentKind
from app.domain import Decision, MaterialStatus, PartyRole
from app.intake.model import ApplicationDraft, DecisionInput, MaterialInput, PartyInput
from app.resources import resource_path
from tests import pdfkit
from tests.conftest import add_user

OWED_CATALOG = Path(__file__).parent / "data" / "catalog-owed"


def test_the_decided_form_says_what_happened_to_each_material(services_factory: Any) -> None:
    services = services_factory(catalog_dir=OWED_CATALOG)
    clerk = add_user(services)
    draft = ApplicationDraft(
        item_code="TS-OWED-001",
        values={"urgency": "ordinary"},
        parties=[PartyInput(PartyRole.APPLICANT, "李明", "310104198506150023")],
        materials=[
            MaterialInput("applicant_id_card", MaterialStatus.RECEIVED),  # handling return: checked, handed back
            MaterialInput("household_register", MaterialStatus.E_VERIFIED),
            MaterialInput("photos", MaterialStatus.RECEIVED),
            MaterialInput("income_proof", MaterialStatus.RECEIVED),
        ],
        acknowledged_duplicate=True,
    )
    result = services.intake.decide(draft, DecisionInput(Decision.ACCEPT), clerk)
    text = pdfkit.flat(renderer.render(DocumentKind.FORM, result, services.documents.settings, load_fonts()).pdf)
    assert "原件核验（已退还）" in text.split("申请人居民身份证", 1)[1].split("户口簿", 1)[0]
    assert "电子证照核验" in text.split("户口簿", 1)[1].split("一寸照片", 1)[0]
    assert "收取2张" in text.split("一寸照片", 1)[1]  # photos in 张, not 份
    assert "收取原件1份" in text.split("收入证明", 1)[1]


def test_a_blank_form_shows_the_fields_own_hint(services: Any) -> None:
    item = load_catalog_dir(resource_path("catalog", "items")).items["MZ-SHJZ-001"].item
    created = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    pdf = render_blank_form(item, services.documents.settings, load_fonts(), created=created).pdf
    assets = pdfkit.flat(pdf).split("家庭财产情况", 1)[1]
    assert assets.startswith("如：存款、有价证券、商业保险、房产、车辆等")


def test_the_legal_basis_document_names_every_item_and_every_basis_it_cites() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "legal-basis.md").read_text(encoding="utf-8")
    for code, loaded in load_catalog_dir(resource_path("catalog", "items")).items.items():
        item = loaded.item
        assert code in doc, code
        policies = [p.basis for p in (item.tolerated, item.first_aid) if p is not None]
        for basis in (*item.legal_basis, *policies):
            assert basis.title in doc, (code, basis.title)
            assert not basis.doc_no or basis.doc_no in doc, (code, basis.doc_no)
