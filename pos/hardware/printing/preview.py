"""What a printed job looked like on paper: its ESC/POS bytes replayed through the virtual printer's
interpreter, so the picture shown to staff is drawn from exactly what was sent, never re-rendered."""

from __future__ import annotations

import io

from pos.domain.errors import PosError
from pos.hardware.printing.interpreter import EscPosInterpreter, PrintedReceipt

PAPER_DOTS = {58: 384, 80: 576}


def job_png(data: bytes, paper_mm: int) -> bytes:
    """PNG bytes of the receipt(s) in ``data``; several cuts are stacked one under another."""
    from PIL import Image

    printed: list[PrintedReceipt] = []
    interpreter = EscPosInterpreter(paper_dots=PAPER_DOTS.get(paper_mm, 576), on_receipt=printed.append)
    interpreter.feed(data + b"\x1dV\x00")  # a job without a final cut still shows
    images = [receipt.image for receipt in printed if receipt.image is not None]
    if not images:
        raise PosError(
            "receipt_not_found", "无法显示小票 / Cannot show receipt", "这张小票没有可显示的内容。"
        )
    sheet = Image.new("L", (max(i.width for i in images), sum(i.height for i in images)), 255)
    top = 0
    for image in images:
        sheet.paste(image, (0, top))
        top += image.height
    out = io.BytesIO()
    sheet.save(out, "PNG")
    return out.getvalue()
