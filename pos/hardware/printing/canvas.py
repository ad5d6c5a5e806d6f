"""A strip of thermal paper drawn with Pillow: text on the printer's column grid, images, QR, barcodes.

Used twice: to render a whole receipt as one raster image (printers without a Chinese font) and by the
virtual printer to show what a real printer would have printed. Text follows the printer's grid: a
half-width column is 12 dots, a Chinese character 24, a line 24 dots plus 6 of spacing.
"""

from __future__ import annotations

import functools

import barcode  # type: ignore[import-untyped]
import qrcode  # type: ignore[import-untyped]
from PIL import Image, ImageDraw

from pos.hardware.printing.commands import Align
from pos.hardware.printing.fonts import load_font
from pos.hardware.printing.text import char_width

COLUMN_DOTS = 12
GLYPH_DOTS = 24
LINE_GAP_DOTS = 6
WHITE = 255


@functools.lru_cache(maxsize=4096)
def _glyph(ch: str, bold: bool) -> Image.Image:
    """One character in its cell, black on white, drawn once and reused."""
    cell_width = COLUMN_DOTS * char_width(ch)
    if ch.isspace():
        return Image.new("L", (cell_width, GLYPH_DOTS), WHITE)
    font = load_font(22)
    drawn_width = max(cell_width, int(font.getlength(ch)) + 2)
    glyph = Image.new("L", (drawn_width, GLYPH_DOTS), WHITE)
    x = (drawn_width - font.getlength(ch)) / 2
    draw = ImageDraw.Draw(glyph)
    draw.text((x, 19), ch, font=font, fill=0, anchor="ls")
    if bold:  # thermal printers embolden by double-striking one dot to the right
        draw.text((x + 1, 19), ch, font=font, fill=0, anchor="ls")
    # A wide Latin letter (m, W) is narrowed into its cell, as the printer's own font does.
    if drawn_width > cell_width:
        glyph = glyph.resize((cell_width, GLYPH_DOTS), Image.Resampling.LANCZOS)
    return glyph


def text_image(text: str, width_mult: int = 1, height_mult: int = 1, bold: bool = False) -> Image.Image:
    """A line of sanitized text on the column grid, scaled like GS ! scales the printer's font."""
    columns = sum(char_width(ch) for ch in text)
    line = Image.new("L", (max(1, columns * COLUMN_DOTS), GLYPH_DOTS), WHITE)
    x = 0
    for ch in text:
        glyph = _glyph(ch, bold)
        line.paste(glyph, (x, 0))
        x += glyph.width
    if width_mult == 1 and height_mult == 1:
        return line
    return line.resize((line.width * width_mult, line.height * height_mult), Image.Resampling.NEAREST)


def qr_image(data: bytes, module_dots: int = 6) -> Image.Image:
    """A QR code (level M, quiet zone of two modules) at ``module_dots`` dots per module."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=1)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = Image.new("L", (size, size), WHITE)
    image.putdata([0 if dark else WHITE for row in matrix for dark in row])
    return image.resize((size * module_dots, size * module_dots), Image.Resampling.NEAREST)


def code128_image(data: str, module_dots: int = 2, height: int = 80) -> Image.Image:
    """CODE128 bars with the text below, as GS k draws them with GS H 2."""
    modules = "".join(barcode.get_barcode_class("code128")(data).build())
    bars = Image.new("L", (len(modules), 1), WHITE)
    bars.putdata([0 if m == "1" else WHITE for m in modules])
    bars = bars.resize((len(modules) * module_dots, height), Image.Resampling.NEAREST)
    caption = text_image("".join(ch if " " <= ch <= "~" else "?" for ch in data))
    image = Image.new("L", (max(bars.width, caption.width), height + GLYPH_DOTS + 4), WHITE)
    image.paste(bars, ((image.width - bars.width) // 2, 0))
    image.paste(caption, ((image.width - caption.width) // 2, height + 4))
    return image


class PaperCanvas:
    """Collects rows of paper top to bottom; ``to_image`` glues them into one strip."""

    def __init__(self, width_dots: int) -> None:
        self.width_dots = width_dots
        self._rows: list[tuple[Image.Image, int]] = []  # image, left edge

    def text(
        self,
        text: str,
        where: Align = Align.LEFT,
        width_mult: int = 1,
        height_mult: int = 1,
        bold: bool = False,
    ) -> None:
        line = text_image(text, width_mult, height_mult, bold)
        self.image(line, where)
        self.feed_dots(LINE_GAP_DOTS)

    def image(self, image: Image.Image, where: Align = Align.LEFT) -> None:
        if image.width > self.width_dots:  # the head cannot print it; a real printer clips too
            image = image.crop((0, 0, self.width_dots, image.height))
        free = self.width_dots - image.width
        left = {Align.LEFT: 0, Align.CENTER: free // 2, Align.RIGHT: free}[where]
        self._rows.append((image.convert("L"), left))

    def feed_dots(self, dots: int) -> None:
        if dots > 0:
            self._rows.append((Image.new("L", (1, dots), WHITE), 0))

    def feed_lines(self, lines: int) -> None:
        self.feed_dots(lines * (GLYPH_DOTS + LINE_GAP_DOTS))

    @property
    def height(self) -> int:
        return sum(image.height for image, _ in self._rows)

    def to_image(self, margin: int = 0) -> Image.Image:
        """The strip in black and white, with ``margin`` white dots around it (for viewing, not printing)."""
        strip = Image.new("L", (self.width_dots + 2 * margin, max(1, self.height) + 2 * margin), WHITE)
        top = margin
        for image, left in self._rows:
            strip.paste(image, (left + margin, top))
            top += image.height
        return strip
