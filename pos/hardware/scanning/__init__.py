"""Code scanning hardware: the webcam worker, its decoders and consensus, and the keyboard-wedge classifier.

Public API (nothing here imports Qt; the UI drives these through callbacks and plain method calls):

* ``CameraScanner(settings, on_code=..., on_state=..., on_preview=...)`` with ``start()``/``stop()``.
* ``CameraSettings``, ``ScannerState``, ``PreviewFrame``, ``DecodeStats``.
* ``ConsensusValidator``: N identical reads within a window, then a cool-down.
* ``WedgeClassifier``: keystroke timing -> consume / pass / scan.
* Decoders: ``ZxingDecoder``, ``PyzbarDecoder``, ``ChainDecoder``, ``default_decoder()``.
"""

import importlib
from typing import Any

# Names resolve on first use (PEP 562): importing the wedge classifier must not load OpenCV.
_HOMES = {
    "CameraScanner": "camera",
    "CameraSettings": "camera",
    "PreviewFrame": "camera",
    "ScannerState": "camera",
    "ConsensusValidator": "consensus",
    "ChainDecoder": "decoders",
    "DecodedSymbol": "decoders",
    "Decoder": "decoders",
    "PyzbarDecoder": "decoders",
    "ZxingDecoder": "decoders",
    "default_decoder": "decoders",
    "DecodeRateMeter": "meter",
    "DecodeStats": "meter",
    "WedgeAction": "wedge",
    "WedgeClassifier": "wedge",
    "WedgeDecision": "wedge",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)


__all__ = [
    "CameraScanner",
    "CameraSettings",
    "ChainDecoder",
    "ConsensusValidator",
    "DecodeRateMeter",
    "DecodeStats",
    "DecodedSymbol",
    "Decoder",
    "PreviewFrame",
    "PyzbarDecoder",
    "ScannerState",
    "WedgeAction",
    "WedgeClassifier",
    "WedgeDecision",
    "ZxingDecoder",
    "default_decoder",
]
