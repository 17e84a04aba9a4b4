"""A receipt as a one-page A4 PDF, drawn with reportlab.

reportlab because it is pure Python wheels with no system libraries (WeasyPrint needs Pango
and Cairo, wkhtmltopdf a headless browser), it writes a PDF straight to memory in a few
milliseconds per page, and it draws the QR code as vectors (reportlab.graphics), so the code
stays sharp however the receipt is printed. Text uses the built-in Helvetica, whose character
set has no naira sign: amounts are written "NGN 15,000" (config.money.naira_sms).
"""

import io

from django.utils import timezone
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from config.money import ZERO, naira_sms
from payments.receipts import ReceiptView
from stores.branding import brand_css_variables

MARGIN = 18 * mm
QR_SIZE = 38 * mm


def _latin(text: str) -> str:
    """Helvetica covers Latin-1; anything else becomes '?' rather than a missing glyph box."""
    return (text or "").encode("latin-1", "replace").decode("latin-1")


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%-d %b %Y, %H:%M") + " (Lagos time)" if moment else ""


def receipt_pdf(view: ReceiptView) -> bytes:
    order, payment = view.order, view.payment
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(f"Receipt {order.order_number}")
    pdf.setAuthor(_latin(order.store.display_name))
    pdf.setSubject(
        f"Payment receipt, Monnify reference {payment.monnify_reference or payment.payment_reference}"
    )
    width, height = A4
    brand = colors.HexColor(brand_css_variables(order.store)["--color-primary"])

    pdf.setFillColor(brand)
    pdf.rect(0, height - 30 * mm, width, 30 * mm, stroke=0, fill=1)
    pdf.setFillColor(colors.white)
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(MARGIN, height - 18 * mm, _latin(order.store.display_name))
    pdf.setFont("Helvetica", 11)
    pdf.drawString(MARGIN, height - 25 * mm, f"Receipt for order {order.order_number}")

    y = height - 44 * mm
    pdf.setFillColor(colors.black)
    status = "REFUNDED" if view.fully_refunded else "PAID"
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(MARGIN, y, status)
    pdf.setFont("Helvetica", 10)
    y -= 7 * mm
    facts = [
        ("Customer", order.customer_name),
        ("Paid", _when(payment.paid_at)),
        ("Payment method", view.method),
        ("Monnify reference", payment.monnify_reference or "-"),
        ("Our reference", payment.payment_reference),
    ]
    if view.refunded:
        facts.append(("Refunded", f"{naira_sms(view.refunded_amount)} {_when(view.refunded_at)}".strip()))
    for label, value in facts:
        pdf.setFillColor(colors.grey)
        pdf.drawString(MARGIN, y, label)
        pdf.setFillColor(colors.black)
        pdf.drawString(MARGIN + 40 * mm, y, _latin(value))
        y -= 6 * mm

    qr = QrCodeWidget(view.verify_url, barLevel="M")
    left, bottom, right, top = qr.getBounds()
    drawing = Drawing(
        QR_SIZE, QR_SIZE, transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0]
    )
    drawing.add(qr)
    renderPDF.draw(drawing, pdf, width - MARGIN - QR_SIZE, height - 44 * mm - QR_SIZE + 6 * mm)
    pdf.setFont("Helvetica", 8)
    pdf.drawRightString(width - MARGIN, height - 44 * mm - QR_SIZE + 2 * mm, "Scan to verify this payment")

    y -= 6 * mm
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(MARGIN, y, "Item")
    pdf.drawRightString(width - MARGIN - 60 * mm, y, "Qty")
    pdf.drawRightString(width - MARGIN - 30 * mm, y, "Price")
    pdf.drawRightString(width - MARGIN, y, "Amount")
    y -= 2 * mm
    pdf.line(MARGIN, y, width - MARGIN, y)
    pdf.setFont("Helvetica", 10)
    for line in view.lines:
        y -= 6 * mm
        if y < 50 * mm:
            pdf.showPage()
            pdf.setFont("Helvetica", 10)
            y = height - MARGIN
        label = line.name + (f" ({line.options})" if line.options else "")
        pdf.drawString(MARGIN, y, _latin(label[:70]))
        pdf.drawRightString(width - MARGIN - 60 * mm, y, str(line.quantity))
        pdf.drawRightString(width - MARGIN - 30 * mm, y, naira_sms(line.unit_price))
        pdf.drawRightString(width - MARGIN, y, naira_sms(line.subtotal))
    y -= 3 * mm
    pdf.line(MARGIN, y, width - MARGIN, y)
    totals = [("Subtotal", naira_sms(order.subtotal))]
    if order.discount:
        totals.append(("Discount", "-" + naira_sms(order.discount)))
    totals.append(("Delivery", naira_sms(order.shipping_fee or ZERO)))
    if view.service_fee:
        totals.append(("Service fee", naira_sms(view.service_fee)))
    totals.append(("Total", naira_sms(order.total)))
    plan = view.pod_plan
    if plan is None:
        totals.append(("Amount paid", naira_sms(payment.amount)))
    else:
        totals.append(("Deposit paid", naira_sms(plan.deposit_amount)))
        due = "Balance paid" if plan.balance_paid_at else "Balance due on delivery"
        totals.append((due, naira_sms(plan.balance_amount)))
    for label, value in totals:
        y -= 6 * mm
        pdf.setFont(
            "Helvetica-Bold" if label in ("Total", "Amount paid", "Deposit paid") else "Helvetica", 10
        )
        pdf.drawRightString(width - MARGIN - 30 * mm, y, label)
        pdf.drawRightString(width - MARGIN, y, value)

    pdf.setFont("Helvetica", 8)
    pdf.setFillColor(colors.grey)
    pdf.drawString(MARGIN, 20 * mm, f"Verify this payment: {view.verify_url}")
    pdf.drawString(
        MARGIN, 15 * mm, "Payments are collected by bank transfer through Monnify and verified with the bank."
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
