"""Reader contract and device drivers (installed as :mod:`checkpoint.drivers`).

Open a reader by its address and iterate its events::

    from checkpoint.drivers import open_reader, DocumentRead

    with open_reader("serial:///dev/ttyACM0?protocol=access-is") as reader:
        for event in reader.events(timeout=30):
            if isinstance(event, DocumentRead):
                print(event.lines)
"""

from checkpoint.drivers.address import Option, ReaderAddress, parse_address
from checkpoint.drivers.base import Reader
from checkpoint.drivers.errors import (
    ReaderConfigError,
    ReaderDisconnected,
    ReaderError,
    ReaderIOError,
    ReaderNotFound,
    ReaderPermissionDenied,
    ReaderTimeout,
    ReaderUnavailable,
)
from checkpoint.drivers.events import (
    BarcodeRead,
    ChipOutcome,
    DocumentPresent,
    DocumentRead,
    DocumentRemoved,
    MalformedFrame,
    ReaderEvent,
    ReaderStatus,
    StripeRead,
)
from checkpoint.drivers.registry import DetectedReader, driver_class, list_readers, make_reader, open_reader

__all__ = [
    "BarcodeRead",
    "ChipOutcome",
    "DetectedReader",
    "DocumentPresent",
    "DocumentRead",
    "DocumentRemoved",
    "MalformedFrame",
    "Option",
    "Reader",
    "ReaderAddress",
    "ReaderConfigError",
    "ReaderDisconnected",
    "ReaderError",
    "ReaderEvent",
    "ReaderIOError",
    "ReaderNotFound",
    "ReaderPermissionDenied",
    "ReaderStatus",
    "ReaderTimeout",
    "ReaderUnavailable",
    "StripeRead",
    "driver_class",
    "list_readers",
    "make_reader",
    "open_reader",
    "parse_address",
]
