"""The SLA report as PDF (WeasyPrint): the report page's HTML with a print stylesheet."""

from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML

STYLESHEETS = ("css/dashboard.css", "css/report-print.css")


def render_pdf(html: str) -> bytes:
    sheets = [CSS(filename=finders.find(name)) for name in STYLESHEETS]
    return HTML(string=html).write_pdf(stylesheets=sheets)
