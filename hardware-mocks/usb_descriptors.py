"""USB descriptors of the simulated readers, as libusb reports them (USB 2.0 §9.6, HID 1.11 §6.2.1).

Each :class:`UsbIdentity` is one reader model: device, configuration, interface and endpoint
descriptors, string descriptors, and what its HID interface speaks. pyusb reads these through
:class:`checkpoint.mocks.usb_backend.MockUsbBackend` exactly as it reads a real device's.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field, replace
from typing import Final, Literal

Speaks = Literal["hid-wedge", "access-is-hid", "keyboard"]


@dataclass(frozen=True, slots=True)
class EndpointDescriptor:
    """An endpoint descriptor (7 bytes)."""

    bEndpointAddress: int
    wMaxPacketSize: int
    bInterval: int = 10
    bmAttributes: int = 0x03  # interrupt
    bLength: int = 7
    bDescriptorType: int = 5
    bRefresh: int = 0
    bSynchAddress: int = 0
    extra_descriptors: tuple[int, ...] = ()

    def pack(self) -> bytes:
        """Return the descriptor's bytes."""
        return struct.pack(
            "<BBBBHB",
            self.bLength,
            self.bDescriptorType,
            self.bEndpointAddress,
            self.bmAttributes,
            self.wMaxPacketSize,
            self.bInterval,
        )


def hid_descriptor(report_descriptor_length: int) -> tuple[int, ...]:
    """Return the HID class descriptor (type 0x21, HID 1.11) that follows an HID interface descriptor."""
    return tuple(struct.pack("<BBHBBBH", 9, 0x21, 0x0111, 0, 1, 0x22, report_descriptor_length))


@dataclass(frozen=True, slots=True)
class InterfaceDescriptor:
    """An interface descriptor (9 bytes) with its endpoints and class descriptors."""

    bInterfaceNumber: int
    bInterfaceClass: int
    bInterfaceSubClass: int
    bInterfaceProtocol: int
    endpoints: tuple[EndpointDescriptor, ...]
    extra_descriptors: tuple[int, ...] = ()
    bAlternateSetting: int = 0
    iInterface: int = 0
    bLength: int = 9
    bDescriptorType: int = 4

    @property
    def bNumEndpoints(self) -> int:
        """The number of endpoints besides endpoint 0."""
        return len(self.endpoints)

    def pack(self) -> bytes:
        """Return the descriptor's bytes followed by its class and endpoint descriptors."""
        head = struct.pack(
            "<BBBBBBBBB",
            self.bLength,
            self.bDescriptorType,
            self.bInterfaceNumber,
            self.bAlternateSetting,
            self.bNumEndpoints,
            self.bInterfaceClass,
            self.bInterfaceSubClass,
            self.bInterfaceProtocol,
            self.iInterface,
        )
        return head + bytes(self.extra_descriptors) + b"".join(endpoint.pack() for endpoint in self.endpoints)


@dataclass(frozen=True, slots=True)
class ConfigurationDescriptor:
    """A configuration descriptor (9 bytes) with its interfaces."""

    interfaces: tuple[InterfaceDescriptor, ...]
    bConfigurationValue: int = 1
    iConfiguration: int = 0
    bmAttributes: int = 0x80  # bus powered
    bMaxPower: int = 50  # 100 mA, in 2 mA units
    bLength: int = 9
    bDescriptorType: int = 2
    extra_descriptors: tuple[int, ...] = ()

    @property
    def bNumInterfaces(self) -> int:
        """The number of interfaces."""
        return len(self.interfaces)

    @property
    def wTotalLength(self) -> int:
        """The length of the configuration with everything in it."""
        return len(self.pack())

    def pack(self) -> bytes:
        """Return the whole configuration as GET_DESCRIPTOR(CONFIGURATION) returns it."""
        body = b"".join(interface.pack() for interface in self.interfaces)
        head = struct.pack(
            "<BBHBBBBB",
            self.bLength,
            self.bDescriptorType,
            self.bLength + len(body),
            self.bNumInterfaces,
            self.bConfigurationValue,
            self.iConfiguration,
            self.bmAttributes,
            self.bMaxPower,
        )
        return head + body


@dataclass(frozen=True, slots=True)
class DeviceDescriptor:
    """A device descriptor (18 bytes) plus the bus position libusb adds to it."""

    idVendor: int
    idProduct: int
    bcdDevice: int = 0x0100
    bcdUSB: int = 0x0200
    bDeviceClass: int = 0
    bDeviceSubClass: int = 0
    bDeviceProtocol: int = 0
    bMaxPacketSize0: int = 64
    iManufacturer: int = 1
    iProduct: int = 2
    iSerialNumber: int = 3
    bNumConfigurations: int = 1
    bLength: int = 18
    bDescriptorType: int = 1
    bus: int = 1
    address: int = 1
    port_number: int = 1
    port_numbers: tuple[int, ...] = (1,)
    speed: int = 2  # full speed (usb.util.SPEED_FULL)

    def pack(self) -> bytes:
        """Return the descriptor's bytes."""
        return struct.pack(
            "<BBHBBBBHHHBBBB",
            self.bLength,
            self.bDescriptorType,
            self.bcdUSB,
            self.bDeviceClass,
            self.bDeviceSubClass,
            self.bDeviceProtocol,
            self.bMaxPacketSize0,
            self.idVendor,
            self.idProduct,
            self.bcdDevice,
            self.iManufacturer,
            self.iProduct,
            self.iSerialNumber,
            self.bNumConfigurations,
        )


@dataclass(frozen=True, slots=True)
class UsbIdentity:
    """One reader model as the host sees it."""

    name: str
    speaks: Speaks
    device: DeviceDescriptor
    configuration: ConfigurationDescriptor
    strings: tuple[str, ...] = field(default=())  # string descriptors 1, 2, 3 ...

    def with_address(self, bus: int, address: int) -> UsbIdentity:
        """Return this identity at another bus position (a replugged device gets a new address)."""
        return replace(self, device=replace(self.device, bus=bus, address=address, port_numbers=(address,)))


# Report descriptor lengths of a boot keyboard (HID 1.11 appendix B.1) and of a vendor 64-byte report.
BOOT_KEYBOARD_REPORT_DESCRIPTOR_LENGTH: Final = 63
VENDOR_REPORT_DESCRIPTOR_LENGTH: Final = 34


def boot_keyboard(
    name: str, vid: int, pid: int, manufacturer: str, product: str, *, speaks: Speaks = "hid-wedge"
) -> UsbIdentity:
    """Return a reader that is a USB HID boot keyboard: interface 0, interrupt IN 0x81, 8-byte reports."""
    interface = InterfaceDescriptor(
        bInterfaceNumber=0,
        bInterfaceClass=3,
        bInterfaceSubClass=1,
        bInterfaceProtocol=1,
        endpoints=(EndpointDescriptor(0x81, 8, bInterval=10),),
        extra_descriptors=hid_descriptor(BOOT_KEYBOARD_REPORT_DESCRIPTOR_LENGTH),
    )
    return UsbIdentity(
        name=name,
        speaks=speaks,
        device=DeviceDescriptor(idVendor=vid, idProduct=pid, bMaxPacketSize0=8),
        configuration=ConfigurationDescriptor(interfaces=(interface,), bmAttributes=0xA0),
        strings=(manufacturer, product, "SIM0001"),
    )


def access_is_hid(name: str, pid: int, *, out_endpoint: bool = True) -> UsbIdentity:
    """Return an Access-IS reader in vendor-HID mode: 64-byte reports on 0x81, commands on 0x02 or EP0."""
    endpoints: tuple[EndpointDescriptor, ...] = (EndpointDescriptor(0x81, 64, bInterval=1),)
    if out_endpoint:
        endpoints += (EndpointDescriptor(0x02, 64, bInterval=1),)
    interface = InterfaceDescriptor(
        bInterfaceNumber=0,
        bInterfaceClass=3,
        bInterfaceSubClass=0,
        bInterfaceProtocol=0,
        endpoints=endpoints,
        extra_descriptors=hid_descriptor(VENDOR_REPORT_DESCRIPTOR_LENGTH),
    )
    return UsbIdentity(
        name=name,
        speaks="access-is-hid",
        device=DeviceDescriptor(idVendor=0x0DB5, idProduct=pid),
        configuration=ConfigurationDescriptor(interfaces=(interface,)),
        strings=("Access IS", "OCR315", "SIM0002"),
    )


IDENTITIES: Final[dict[str, UsbIdentity]] = {
    "access-is-wedge": boot_keyboard("access-is-wedge", 0x0DB5, 0x013A, "Access IS", "OCR315 Keyboard"),
    "arh-wedge": boot_keyboard("arh-wedge", 0x1B52, 0x4301, "ARH Inc.", "MRZ Reader"),
    "desko-wedge": boot_keyboard("desko-wedge", 0x1AC2, 0x0100, "DESKO GmbH", "PENTA Scanner (keyboard)"),
    "access-is-hid": access_is_hid("access-is-hid", 0x013B),
    "access-is-hid-ep0": access_is_hid("access-is-hid-ep0", 0x0127, out_endpoint=False),
    # Not a reader: a plain keyboard, which discovery must leave alone.
    "keyboard": boot_keyboard("keyboard", 0x046D, 0xC31C, "Logitech", "USB Keyboard", speaks="keyboard"),
}
"""The simulated identities by name. ``desko-wedge``'s product ID is made up (DESKO's are not public)."""


def identity(name: str) -> UsbIdentity:
    """Return the identity called ``name``; raise ``ValueError`` listing the known ones."""
    try:
        return IDENTITIES[name]
    except KeyError:
        raise ValueError(f"unknown USB reader identity {name!r}; known: {', '.join(IDENTITIES)}") from None
