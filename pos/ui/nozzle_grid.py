"""The forecourt grid: one ``QtNozzleTile`` per nozzle, in nozzle-number order.

Listens to the ``StationBoard``; on a change it rebuilds the views of the named nozzles only (and of the
nozzles on pumps whose stacked count moved), and a tile repaints only if its view differs.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from pos.services.ports import StationChange
from pos.services.station_board import StationBoard
from pos.ui.nozzle_tile import TILE_MAX_HEIGHT, NozzleTileView, QtNozzleTile

COLUMNS = 4
SPACING = 8


def tile_view(board: StationBoard, number: int) -> NozzleTileView:
    nozzle = board.nozzles[number]
    order = board.order_for_nozzle(number)
    return NozzleTileView(
        number=nozzle.number,
        pump_number=nozzle.pump_number,
        grade_name=board.grade_name(nozzle.grade),
        state=str(nozzle.state),
        unit_price_fen=nozzle.unit_price_fen,
        volume_ml=nozzle.current_volume_ml,
        amount_fen=nozzle.current_amount_fen,
        stacked_payable=board.stacked_count(nozzle.pump_number),
        stale=board.is_stale,
        order_no=order.order_no if order is not None else None,
    )


class QtNozzleGrid(QWidget):
    def __init__(self, board: StationBoard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nozzleGrid")
        self._board = board
        self._tiles: dict[int, QtNozzleTile] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        # The tiles sit in their own area whose maximum height follows the tiles' maximum, so spare
        # height collects below them instead of opening gaps between the rows.
        self._area = QWidget(self)
        self._layout = QGridLayout(self._area)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(SPACING)
        outer.addWidget(self._area, 1)
        outer.addStretch(0)
        self.repaints = 0  # tiles actually repainted; lets tests check that updates stay local
        board.subscribe(self)
        if board.nozzles:
            self._rebuild()

    @property
    def tiles(self) -> dict[int, QtNozzleTile]:
        return self._tiles

    def station_changed(self, change: StationChange) -> None:
        if change.everything or set(self._board.nozzles) != set(self._tiles):
            self._rebuild()
            return
        numbers = set(change.nozzles)
        for pump in change.pumps:
            numbers.update(self._board.nozzle_numbers_on_pump(pump))
        for number in numbers:
            self._refresh(number)

    def _refresh(self, number: int) -> None:
        tile = self._tiles.get(number)
        if (
            tile is not None
            and number in self._board.nozzles
            and tile.set_view(tile_view(self._board, number))
        ):
            self.repaints += 1

    def _rebuild(self) -> None:
        for tile in self._tiles.values():
            self._layout.removeWidget(tile)
            tile.deleteLater()
        self._tiles.clear()  # in place: holders of ``tiles`` keep seeing the live mapping
        for index, number in enumerate(sorted(self._board.nozzles)):
            tile = QtNozzleTile(tile_view(self._board, number), self._area)
            self._tiles[number] = tile
            self._layout.addWidget(tile, index // COLUMNS, index % COLUMNS)
        rows = (len(self._tiles) + COLUMNS - 1) // COLUMNS
        self._area.setMaximumHeight(max(0, rows * (TILE_MAX_HEIGHT + SPACING) - SPACING))
        for column in range(COLUMNS):
            self._layout.setColumnStretch(column, 1)
