"""One nozzle as a painted tile: number, grade, state with colour and icon, running figures, badges.

The tile paints itself from a small immutable ``NozzleTileView``; ``set_view`` repaints only when the view
actually changed, so a busy forecourt repaints only the tiles whose nozzle moved.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from pos.domain.money import format_fen
from pos.ui.translations import QT_TRANSLATE_NOOP


@dataclass(frozen=True, slots=True)
class StateStyle:
    label: str  # Chinese source text, translated at paint time
    colour: str
    icon: str


STATE_STYLES: dict[str, StateStyle] = {
    "idle": StateStyle(QT_TRANSLATE_NOOP("QtNozzleTile", "空闲 Idle"), "#8A939C", "idle"),
    "calling": StateStyle(QT_TRANSLATE_NOOP("QtNozzleTile", "提枪待授权 Nozzle up"), "#E8A400", "calling"),
    "authorized": StateStyle(QT_TRANSLATE_NOOP("QtNozzleTile", "已授权 Authorized"), "#1F6FD6", "authorized"),
    "fuelling": StateStyle(QT_TRANSLATE_NOOP("QtNozzleTile", "加油中 Fuelling"), "#1E9448", "fuelling"),
    "suspended": StateStyle(QT_TRANSLATE_NOOP("QtNozzleTile", "暂停 Paused"), "#7B61B8", "suspended"),
    "payable": StateStyle(QT_TRANSLATE_NOOP("QtNozzleTile", "待支付 Payable"), "#E2540F", "payable"),
    "closed": StateStyle(QT_TRANSLATE_NOOP("QtNozzleTile", "已关闭 Closed"), "#5F6770", "closed"),
    "offline": StateStyle(QT_TRANSLATE_NOOP("QtNozzleTile", "离线 Offline"), "#3B4148", "offline"),
    "error": StateStyle(QT_TRANSLATE_NOOP("QtNozzleTile", "故障 Fault"), "#C62828", "error"),
}
STALE_COLOUR = "#9E6B00"
TILE_MAX_HEIGHT = 270


@dataclass(frozen=True, slots=True)
class NozzleTileView:
    """Everything a tile shows, already decided; equality tells whether a repaint is needed."""

    number: int
    pump_number: int
    grade_name: str
    state: str
    unit_price_fen: int
    volume_ml: int
    amount_fen: int
    stacked_payable: int = 0
    stale: bool = False
    order_no: str | None = None


def format_litres(volume_ml: int) -> str:
    """``23456`` ml -> ``23.45 L``: pumps show two decimals and never round a fill up."""
    return f"{volume_ml // 1000}.{volume_ml % 1000 // 10:02d} L"


class QtNozzleTile(QWidget):
    """A painted nozzle tile. Use ``set_view``; the widget never reads the board itself."""

    def __init__(self, view: NozzleTileView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self.setObjectName(f"nozzleTile{view.number}")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 160)
        self.setMaximumHeight(TILE_MAX_HEIGHT)  # a few nozzles should not become huge empty cards
        self._scale = 1.0
        self._refresh_accessible_text()

    @property
    def view(self) -> NozzleTileView:
        return self._view

    def set_view(self, view: NozzleTileView) -> bool:
        """Show ``view``; returns whether anything changed (and so was repainted)."""
        if view == self._view:
            return False
        self._view = view
        self._refresh_accessible_text()
        self.update()
        return True

    def state_label(self) -> str:
        style = STATE_STYLES.get(self._view.state)
        return self.tr(style.label) if style else self._view.state

    def number_text(self) -> str:
        return self.tr("{0}号 / No. {0}").format(self._view.number)

    def pump_text(self) -> str:
        return self.tr("{0}号机 / Pump {0}").format(self._view.pump_number)

    def unit_price_text(self) -> str:
        return self.tr("单价 Unit price {0}/L").format(format_fen(self._view.unit_price_fen))

    def order_text(self) -> str:
        """The bound mini-program order's number ("" when none)."""
        return self.tr("小程序 Order {0}").format(self._view.order_no) if self._view.order_no else ""

    def amount_text(self) -> str:
        return format_fen(self._view.amount_fen)

    def volume_text(self) -> str:
        return format_litres(self._view.volume_ml)

    def _refresh_accessible_text(self) -> None:
        v = self._view
        self.setAccessibleName(self.tr("{0}号油枪 / Nozzle {0}").format(v.number))
        self.setAccessibleDescription(
            f"{v.grade_name} {self.state_label()} {self.volume_text()} {self.amount_text()}"
        )

    def sizeHint(self) -> QSize:
        return QSize(230, 200)

    # -- painting --------------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        v = self._view
        style = STATE_STYLES.get(v.state, StateStyle(v.state, "#C62828", "error"))
        colour = QColor(style.colour)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Tiles grow with the window (fewer nozzles, bigger screen): scale text and spacing with them.
        self._scale = max(0.8, min(1.6, self.width() / 230, self.height() / 200))
        card = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        header_height = self._px(44)
        self._paint_card(painter, card, colour, header_height)
        self._paint_header(painter, card, header_height, style)
        body = card.adjusted(self._px(14), header_height + self._px(6), -self._px(14), -self._px(8))
        self._paint_grade_line(painter, body, colour)
        self._paint_figures(painter, body, colour)
        self._paint_footer(painter, body)
        painter.end()

    def _px(self, size: float) -> float:
        return size * self._scale

    def _font(self, pixel_size: int, bold: bool = False) -> QFont:
        font = QFont(self.font())
        font.setPixelSize(round(pixel_size * self._scale))
        font.setBold(bold)
        return font

    def _paint_card(self, painter: QPainter, card: QRectF, colour: QColor, header_height: float) -> None:
        body_colour = QColor("#F1F2F4") if self._view.stale else QColor("#FFFFFF")
        path = QPainterPath()
        path.addRoundedRect(card, 10, 10)
        painter.fillPath(path, body_colour)
        header = QPainterPath()
        header.addRoundedRect(QRectF(card.left(), card.top(), card.width(), header_height + 10), 10, 10)
        clip = QPainterPath()
        clip.addRect(QRectF(card.left(), card.top(), card.width(), header_height))
        painter.fillPath(header.intersected(clip), colour.darker(135) if self._view.stale else colour)
        painter.setPen(QPen(QColor("#C9CED4"), 1))
        painter.drawPath(path)

    def _paint_header(self, painter: QPainter, card: QRectF, height: float, style: StateStyle) -> None:
        """The state (label and icon) at the right, then the nozzle number in the room left of it: a
        long English label ("No. 12" beside "Authorized") makes the number smaller rather than overlap."""
        painter.setPen(QColor("#FFFFFF"))
        painter.setFont(self._font(16, bold=True))
        label_rect = QRectF(card.left(), card.top(), card.width() - self._px(14), height)
        label = self.state_label()
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, label)
        label_width = painter.fontMetrics().horizontalAdvance(label)
        icon_centre = QPointF(card.right() - self._px(14 + 16) - label_width, card.top() + height / 2)
        paint_state_icon(painter, style.icon, icon_centre, self._px(10))
        left = card.left() + self._px(12)
        room = icon_centre.x() - self._px(10 + 6) - left
        number = self.number_text()
        painter.setFont(self._fitting_font(number, 26, 16, int(room), bold=True))
        number = painter.fontMetrics().elidedText(number, Qt.TextElideMode.ElideRight, int(room))
        number_rect = QRectF(left, card.top(), room, height)
        painter.drawText(number_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, number)

    def _fitting_font(self, text: str, size: int, smallest: int, room: int, bold: bool) -> QFont:
        """A font from ``size`` down to ``smallest`` (before scaling): the largest ``text`` fits in
        (measured unrounded, as eliding measures it)."""
        font = self._font(size, bold)
        while size > smallest and QFontMetricsF(font).horizontalAdvance(text) > room:
            size -= 1
            font = self._font(size, bold)
        return font

    def _paint_grade_line(self, painter: QPainter, body: QRectF, colour: QColor) -> None:
        v = self._view
        line = QRectF(body.left(), body.top(), body.width(), self._px(24))
        painter.setPen(QColor("#1F2933"))
        painter.setFont(self._font(17, bold=True))
        painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, v.grade_name)
        grade_width = painter.fontMetrics().horizontalAdvance(v.grade_name)
        badge_width = self._paint_badge(painter, line) if v.stacked_payable else 0.0
        # The pump number gives way to the grade and the badge: smaller, then elided, never over them.
        room = int(line.width() - badge_width - grade_width - self._px(8))
        pump = self.pump_text()
        painter.setFont(self._fitting_font(pump, 13, 11, room, bold=False))
        pump = painter.fontMetrics().elidedText(pump, Qt.TextElideMode.ElideRight, max(room, 0))
        painter.setPen(QColor("#66717D"))
        painter.drawText(
            line.adjusted(0, 0, -badge_width, 0),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            pump,
        )

    def _paint_badge(self, painter: QPainter, line: QRectF) -> float:
        """The pump's stacked payable count (挂单) as a pill at the line's right end, red at the
        two-per-pump limit. Returns the width it took, gap included."""
        count = self._view.stacked_payable
        painter.setFont(self._font(13, bold=True))
        text = self.tr("挂单 Unpaid {0}").format(count)
        width = painter.fontMetrics().horizontalAdvance(text) + self._px(16)
        pill = QRectF(line.right() - width, line.top() + 1, width, line.height() - 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#C62828") if count >= 2 else QColor("#F57C00"))
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        return width + self._px(8)

    def _paint_figures(self, painter: QPainter, body: QRectF, colour: QColor) -> None:
        """Amount and litres while a fill runs or waits for payment, else the unit price; centred
        between the grade line and the footer."""
        v = self._view
        area = body.adjusted(0, self._px(26), 0, -self._px(24))
        centre = Qt.AlignmentFlag.AlignCenter
        if v.state not in {"fuelling", "suspended", "payable"}:
            painter.setPen(QColor("#8A939C"))
            painter.setFont(self._font(15))
            painter.drawText(area, centre, self.unit_price_text())
            return
        amount_height, volume_height = self._px(40), self._px(24)
        top = area.center().y() - (amount_height + volume_height) / 2
        painter.setPen(colour.darker(115))
        painter.setFont(self._font(32, bold=True))
        painter.drawText(QRectF(area.left(), top, area.width(), amount_height), centre, self.amount_text())
        painter.setPen(QColor("#3E4751"))
        painter.setFont(self._font(17))
        volume_rect = QRectF(area.left(), top + amount_height, area.width(), volume_height)
        painter.drawText(volume_rect, centre, self.volume_text())

    def _paint_footer(self, painter: QPainter, body: QRectF) -> None:
        """The bound order's number left, the stale tag right; the number gives way (elided) to the tag."""
        footer = QRectF(body.left(), body.bottom() - self._px(22), body.width(), self._px(22))
        tag_width = self._paint_stale_tag(painter, footer) if self._view.stale else 0.0
        if self._view.order_no:
            painter.setFont(self._font(13, bold=True))
            painter.setPen(QColor("#1F6FD6"))
            room = footer.adjusted(0, 0, -tag_width, 0)
            # Elided in the middle: the order number's last digits are what staff read out.
            text = painter.fontMetrics().elidedText(
                self.order_text(), Qt.TextElideMode.ElideMiddle, int(room.width())
            )
            painter.drawText(room, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_stale_tag(self, painter: QPainter, footer: QRectF) -> float:
        """The "stale data" tag at the footer's right end; returns the width it took, gap included."""
        painter.setFont(self._font(12, bold=True))
        text = self.tr("数据过时 stale")
        width = painter.fontMetrics().horizontalAdvance(text) + self._px(12)
        tag = QRectF(footer.right() - width, footer.top() + 1, width, footer.height() - 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#FFF3C4"))
        painter.drawRoundedRect(tag, 4, 4)
        painter.setPen(QColor(STALE_COLOUR))
        painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, text)
        return width + self._px(6)


def paint_state_icon(painter: QPainter, icon: str, centre: QPointF, radius: float) -> None:
    """A small white glyph on the header band; shapes, not colour alone, tell the states apart."""
    painter.save()
    painter.translate(centre)
    pen = QPen(QColor("#FFFFFF"), 2.2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    r = radius
    if icon == "fuelling":  # a drop
        drop = QPainterPath(QPointF(0, -r))
        drop.cubicTo(QPointF(r * 0.9, -r * 0.1), QPointF(r * 0.8, r), QPointF(0, r))
        drop.cubicTo(QPointF(-r * 0.8, r), QPointF(-r * 0.9, -r * 0.1), QPointF(0, -r))
        painter.setBrush(QColor("#FFFFFF"))
        painter.drawPath(drop)
    elif icon == "calling":  # a raised nozzle asks: exclamation in a circle
        painter.drawEllipse(QPointF(0, 0), r, r)
        painter.drawLine(QPointF(0, -r * 0.5), QPointF(0, r * 0.15))
        painter.drawPoint(QPointF(0, r * 0.5))
    elif icon == "authorized":  # a tick
        painter.drawEllipse(QPointF(0, 0), r, r)
        painter.drawPolyline(
            [QPointF(-r * 0.45, 0), QPointF(-r * 0.1, r * 0.35), QPointF(r * 0.5, -r * 0.35)]
        )
    elif icon == "payable":  # a coin with the yuan sign's bars
        painter.drawEllipse(QPointF(0, 0), r, r)
        painter.drawPolyline([QPointF(-r * 0.4, -r * 0.5), QPointF(0, 0), QPointF(r * 0.4, -r * 0.5)])
        painter.drawLine(QPointF(0, 0), QPointF(0, r * 0.55))
        painter.drawLine(QPointF(-r * 0.35, r * 0.15), QPointF(r * 0.35, r * 0.15))
    elif icon == "suspended":  # pause bars
        painter.drawLine(QPointF(-r * 0.35, -r * 0.6), QPointF(-r * 0.35, r * 0.6))
        painter.drawLine(QPointF(r * 0.35, -r * 0.6), QPointF(r * 0.35, r * 0.6))
    elif icon in {"error", "offline", "closed"}:  # a cross, struck through for offline
        painter.drawEllipse(QPointF(0, 0), r, r)
        if icon == "offline":
            painter.drawLine(QPointF(-r * 0.7, r * 0.7), QPointF(r * 0.7, -r * 0.7))
        else:
            painter.drawLine(QPointF(-r * 0.4, -r * 0.4), QPointF(r * 0.4, r * 0.4))
            painter.drawLine(QPointF(-r * 0.4, r * 0.4), QPointF(r * 0.4, -r * 0.4))
    else:  # idle: a hollow ring
        painter.drawEllipse(QPointF(0, 0), r * 0.7, r * 0.7)
    painter.restore()
