"""The printer test page for support staff (``pos doctor --print-test``).

It shows at a glance whether the printer is in Chinese mode (the Chinese lines print, not garbage), whether
¥ and full-width punctuation come out, which paper width it really has (the 32- and 48-column rulers:
the one that wraps is too wide), and whether QR codes and barcodes print.

Run it: ``python -m pos.hardware.printing.testpage --host 192.168.1.87 --port 9100``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from pos.domain.errors import PosError
from pos.hardware.printing import transport
from pos.hardware.printing.profile import PrinterProfile, PrinterSettings, TransportKind
from pos.hardware.printing.render import encode_ops
from pos.hardware.printing.sheet import Op, Sheet
from pos.hardware.printing.transport import PrinterState

TEST_QR = "https://pos.example.cn/doctor/print-test"
TEST_BARCODE = "POS-TEST-0123"


def ruler(columns: int) -> str:
    """``1234567890123...`` with a ``|`` on every tenth column, ``columns`` wide."""
    return "".join("|" if n % 10 == 0 else str(n % 10) for n in range(1, columns + 1))


def test_page_ops(settings: PrinterSettings, now: datetime | None = None) -> list[Op]:
    profile = settings.profile
    sheet = Sheet(profile.columns)
    sheet.title("打印测试页")
    sheet.center("PRINTER TEST PAGE", bold=True)
    sheet.rule("=")
    sheet.pair("打印机", settings.describe())
    sheet.pair("纸宽 Paper", f"{profile.paper_mm}mm / {profile.columns}列")
    sheet.pair("模式 Mode", "图像 image" if profile.as_image else "中文 GB18030")
    sheet.pair("时间", (now or datetime.now(UTC)).astimezone().strftime("%Y-%m-%d %H:%M:%S"))
    sheet.rule()
    sheet.line("中文：加油站收银小票打印测试")
    sheet.line("繁體／全角：油品 92# 95# 98# 0#")
    sheet.line("标点：，。：；！？、“引号”（括号）【方括号】")
    sheet.pair("人民币符号 ¥", "￥1,234.56")
    sheet.pair("混排 Mixed 95#汽油", "-￥15.00")
    sheet.line("ASCII: !\"#$%&'()*+,-./0123456789:;<=>?@AZaz[]^_{|}~")
    sheet.section("32 列 / columns")
    sheet.raw(ruler(32))
    sheet.section("48 列 / columns")
    sheet.raw(ruler(48))
    sheet.line("(超宽的标尺会折行 / a ruler wider than the paper wraps)")
    sheet.rule()
    sheet.qr(TEST_QR, "二维码 QR code")
    sheet.feed()
    sheet.barcode(TEST_BARCODE)
    sheet.center("条码 CODE128")
    sheet.rule("=")
    sheet.center("测试完成 END OF TEST", bold=True)
    return sheet.ops


def test_page_bytes(settings: PrinterSettings) -> bytes:
    return encode_ops(test_page_ops(settings), settings.profile)


def print_test_page(printer_settings: PrinterSettings) -> PrinterState:
    """Print the test page now, bypassing the queue (support wants the answer straight away).

    Returns the state the printer reported (UNKNOWN if it does not answer status); raises ``PosError``
    (``printer_offline``, ``printer_paper_out``...) when it cannot print.
    """
    return transport.send(printer_settings, test_page_bytes(printer_settings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Print the receipt printer test page over the network.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--paper", type=int, choices=(58, 80), default=80)
    parser.add_argument("--as-image", action="store_true", help="for printers without a Chinese font")
    args = parser.parse_args(argv)
    settings = PrinterSettings(
        transport=TransportKind.NETWORK,
        host=args.host,
        port=args.port,
        profile=PrinterProfile(paper_mm=args.paper, as_image=args.as_image),
    )
    try:
        state = print_test_page(settings)
    except PosError as error:
        print(f"{error.title}: {error.message}", file=sys.stderr)
        return 1
    print(f"test page sent to {settings.describe()} (printer status: {state.value})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
