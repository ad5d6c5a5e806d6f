"""Code scanning hardware: the webcam worker, its decoders and consensus, and the keyboard-wedge classifier.

Public API (nothing here imports Qt; the UI drives these through callbacks and plain method calls):

* ``CameraScanner(settings, on_code=..., on_state=..., on_preview=...)`` with ``start()``/``stop()``.
* ``CameraSettings``, ``ScannerState``, ``PreviewFrame``, ``DecodeStats``.
* ``ConsensusValidator``: N identical reads within a window, then a cool-down.
* ``WedgeClassifier``: keystroke timing -> consume / pass / scan.
* Decoders: ``ZxingDecoder``, ``PyzbarDecoder``, ``ChainDecoder``, ``default_decoder()``.
"""

from pos.hardware.scanning.camera import CameraScanner, CameraSettings, PreviewFrame, ScannerState
from pos.hardware.scanning.consensus import ConsensusValidator
from pos.hardware.scanning.decoders import (
    ChainDecoder,
    DecodedSymbol,
    Decoder,
    PyzbarDecoder,
    ZxingDecoder,
    default_decoder,
)
from pos.hardware.scanning.meter import DecodeRateMeter, DecodeStats
from pos.hardware.scanning.wedge import WedgeAction, WedgeClassifier, WedgeDecision

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
