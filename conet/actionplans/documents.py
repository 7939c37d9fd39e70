"""The plan as documents: PDF from the same HTML partials as the page (WeasyPrint), and DOCX that
city staff can edit (python-docx)."""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from conet.core.pdf import PdfUnavailable, html_to_pdf

__all__ = [
    "PdfUnavailable", "html_to_pdf", "pdf_available", "plan_docx", "plan_html", "plan_pdf",
    "version_html",
    "version_pdf",
]  # fmt: skip


def pdf_available() -> bool:
    """Whether this server can make PDFs (WeasyPrint and the Pango library it loads)."""
    from conet.core import pdf

    try:
        pdf._weasyprint()
    except PdfUnavailable:
        return False
    return True


def plan_html(page, *, request=None) -> str:
    return render_to_string("actionplans/document.html", {"page": page, "plan": page.plan}, request)


def plan_pdf(page, *, base_url: str = "") -> bytes:
    return html_to_pdf(plan_html(page), base_url=base_url)


def plan_docx(page) -> bytes:
    from docx import Document
    from docx.shared import Pt

    plan = page.plan
    document = Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(plan.title, level=0)
    document.add_paragraph(f"{plan.partnership.city.name} — {plan.partnership.network.name}")
    document.add_paragraph(_("Status: %(status)s") % {"status": plan.get_status_display()})
    for section in page.sections:
        document.add_heading(str(section.get_kind_display()), level=1)
        for paragraph in (section.text or "—").split("\n\n"):
            document.add_paragraph(paragraph)
    document.add_heading(_("Problem tree and solution tree"), level=1)
    tree = page.tree
    if tree.core:
        document.add_paragraph(_("Core problem: %(text)s") % {"text": tree.core.statement})
        if tree.core.objective:
            document.add_paragraph(_("Objective: %(text)s") % {"text": tree.core.objective})

    def branch(nodes, level: int) -> None:
        for item in nodes:
            line = item.node.statement + (
                f" → {item.node.objective}" if item.node.objective else ""
            )
            document.add_paragraph(line, style="List Bullet 2" if level > 1 else "List Bullet")
            branch(item.children, level + 1)

    document.add_heading(_("Effects"), level=2)
    branch(tree.effects, 1)
    document.add_heading(_("Causes"), level=2)
    branch(tree.causes, 1)
    document.add_heading(_("Objectives and indicators"), level=1)
    for objective in page.objectives:
        document.add_heading(str(objective), level=2)
        if objective.description:
            document.add_paragraph(objective.description)
        for indicator in objective.indicators.all():
            document.add_paragraph(
                f"{indicator.get_kind_display()}: {indicator.definition} "
                f"({indicator.unit}; {indicator.baseline} → {indicator.target}; "
                f"{indicator.source}, {indicator.frequency})",
                style="List Bullet",
            )
    document.add_heading(pgettext("actions of a plan", "Actions"), level=1)
    headers = [_("No."), _("Action"), _("Lead"), _("Start"), _("End"), _("Cost"), _("Funding")]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
    for action in page.actions:
        cells = table.add_row().cells
        values = [
            str(action.number), action.title, action.lead, str(action.start_date or ""),
            str(action.end_date or ""), "" if action.cost is None else f"{action.cost:,.2f}",
            action.funding_source,
        ]  # fmt: skip
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def version_html(version) -> str:
    """A launched version as a document, from its frozen snapshot: later edits never show in it."""
    context = {"version": version, "data": version.snapshot, "plan": version.plan}
    return render_to_string("actionplans/version_document.html", context)


def version_pdf(version, *, base_url: str = "") -> bytes:
    return html_to_pdf(version_html(version), base_url=base_url)
