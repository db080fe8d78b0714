"""Image bytes for the photo tests: real images, fakes and decompression bombs."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt="PNG", size=(64, 48), colour=(200, 30, 30), **save_kwargs) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def jpeg_with_exif(size=(120, 60)) -> bytes:
    """A JPEG with camera metadata, GPS-ish tags and orientation 6 (rotate 90°)."""
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0112] = 6  # Orientation
    return image_bytes("JPEG", size=size, exif=exif.tobytes())


def bomb_png(width=20000, height=20000) -> bytes:
    """A tiny PNG whose header claims ``width``×``height`` pixels."""
    raw = image_bytes("PNG", size=(1, 1))
    # The IHDR chunk follows the 8-byte signature: length(4) type(4) data(13) crc(4).
    ihdr = bytearray(raw[16:29])
    ihdr[0:8] = struct.pack(">II", width, height)
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)) & 0xFFFFFFFF)
    return raw[:16] + bytes(ihdr) + crc + raw[33:]


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
