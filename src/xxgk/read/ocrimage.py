"""Image handling for OCR: opening image files and rendering PDF pages within MAX_PIXELS,
cutting cells out of a ruled grid, trimming them to their ink, and bringing text to the
size and contrast Tesseract's models read best.

Memory: an image's decoded size (pixels × bytes per pixel as Pillow holds them) is checked
from its header before it is decoded (MAX_DECODED); JPEG decodes straight to greyscale; a
page larger than OCR_PIXELS is reduced before OCR, which copies it a few times. Pillow's
warnings (DecompressionBombWarning from 89 megapixels, below our own limit; "Corrupt EXIF
data" and the like on damaged files) are not shown."""

from __future__ import annotations

import io
import math
import warnings

from PIL import Image, ImageFile, ImageOps

from ..errors import InputError

INSET = 5  # pixels cut off each side of a cell: the ruling lines
PAD = 4  # white pixels kept around a cell's ink
MARGIN = 20  # white border around each image given to Tesseract
INK = 128  # grey level below which a pixel is ink
TEXT_HEIGHT = 28  # pixels: height of a line of Chinese at which chi_sim reads best

MAX_PIXELS = 100_000_000
MAX_DECODED = 200 * 1024 * 1024  # bytes of one decoded frame (an RGB pixel takes 4): 50 megapixels
OCR_PIXELS = 40_000_000  # pages are read at most this large (an A4 page at 600 dpi: 35 M)
DPI = 300
MIN_DPI = 150

MSG_BAD_IMAGE = "图片文件已损坏或格式不支持（支持 PNG、JPEG、TIFF）"

_INK_LUT = [255 if v < INK else 0 for v in range(256)]
_BINARY_LUT = [0 if v < 170 else 255 for v in range(256)]


def union(boxes) -> tuple[float, float, float, float]:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def has_ink(gray: Image.Image) -> bool:
    return gray.point(_INK_LUT).getbbox() is not None


def cell_ink(gray: Image.Image, box) -> Image.Image | None:
    """The ink inside a cell, ruling lines excluded, trimmed to a small white pad."""
    x0, top, x1, bottom = (int(round(v)) for v in box)
    if x1 - x0 <= 2 * INSET + 2 or bottom - top <= 2 * INSET + 2:
        return None
    return trim_ink(without_rulings(gray.crop((x0 + INSET, top + INSET, x1 - INSET, bottom - INSET))))


def trim_ink(crop: Image.Image) -> Image.Image | None:
    """The crop trimmed to its ink plus a white pad of PAD pixels; None when blank."""
    ink = crop.point(_INK_LUT).getbbox()
    if ink is None:
        return None
    out = Image.new("L", (ink[2] - ink[0] + 2 * PAD, ink[3] - ink[1] + 2 * PAD), 255)
    out.paste(crop.crop(ink), (PAD, PAD))
    return out


def without_rulings(crop: Image.Image) -> Image.Image:
    """Blank edge rows and columns that are mostly ink: what is left of a ruling line."""
    width, height = crop.size
    for i in range(INSET + 2):
        for box in ((i, 0, i + 1, height), (width - i - 1, 0, width - i, height)):
            if dark_share(crop, box) > 0.5:
                crop.paste(255, box)
        for box in ((0, i, width, i + 1), (0, height - i - 1, width, height - i)):
            if dark_share(crop, box) > 0.5:
                crop.paste(255, box)
    return crop


def dark_share(image: Image.Image, box) -> float:
    strip = image.crop(box)
    return sum(strip.histogram()[:INK]) / max(1, strip.size[0] * strip.size[1])


def with_margin(image: Image.Image) -> Image.Image:
    out = Image.new("L", (image.size[0] + 2 * MARGIN, image.size[1] + 2 * MARGIN), 255)
    out.paste(image, (MARGIN, MARGIN))
    return out


def digit_size(image: Image.Image, height: int) -> Image.Image:
    """Scale so that the ink (one line of digits) is `height` pixels tall."""
    ink_height = max(1, image.size[1] - 2 * PAD)
    factor = height / ink_height
    size = (max(1, round(image.size[0] * factor)), max(1, round(image.size[1] * factor)))
    return image.resize(size, Image.Resampling.LANCZOS)


def binary(image: Image.Image) -> Image.Image:
    """Black and white: chi_sim misreads thin grey serif strokes (禁 as 茜) far more often."""
    return image.point(_BINARY_LUT)


def scaled(image: Image.Image, factor: float) -> Image.Image:
    if factor == 1.0:
        return image
    size = (max(1, round(image.size[0] * factor)), max(1, round(image.size[1] * factor)))
    return image.resize(size, Image.Resampling.LANCZOS)


def text_factor(heights: list[float]) -> float:
    """Scale that brings Chinese text to TEXT_HEIGHT pixels (chi_sim reads it best there);
    `heights` are heights of single lines of text (the tall end is Chinese, not digits)."""
    heights = sorted(h for h in heights if h >= 6)
    if not heights:
        return 1.0
    tall = heights[int(0.8 * (len(heights) - 1))]
    factor = min(1.5, max(0.4, TEXT_HEIGHT / tall))
    return 1.0 if 0.9 <= factor <= 1.1 else factor


def line_heights(gray: Image.Image) -> list[float]:
    """Heights of the bands of rows that hold ink: text lines, from the row profile."""
    box = gray.point(_INK_LUT).getbbox()
    if box is None:
        return []
    profile = gray.crop(box).point(_INK_LUT).resize((1, box[3] - box[1]), Image.Resampling.BOX).tobytes()
    heights, run = [], 0
    for value in profile + b"\0":
        if value:
            run += 1
        elif run:
            heights.append(run)
            run = 0
    return heights


# ---------------------------------------------------------------- image files and PDF pages


def image_too_large_message(width: int | None, height: int | None) -> str:
    size = f"{width}×{height} 像素，" if width and height else ""
    return f"图片过大（{size}上限 {MAX_PIXELS // 1_000_000} 百万像素）"


def _png_size(data: bytes) -> tuple[int | None, int | None]:
    """Width and height from a PNG header (IHDR comes first), for the message."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return None, None


class PdfRenderer:
    """Renders pages of a PDF for OCR (pypdfium2), at DPI or less for huge pages."""

    def __init__(self, data: bytes):
        import pypdfium2 as pdfium

        self.pdf = pdfium.PdfDocument(data)

    def render(self, index: int, path: str | None = None) -> tuple[Image.Image, float]:
        """(greyscale image, dpi)."""
        page = self.pdf[index]
        width, height = page.get_size()
        dpi = float(DPI)
        while (width * dpi / 72) * (height * dpi / 72) > MAX_PIXELS and dpi > MIN_DPI:
            dpi = max(MIN_DPI, dpi * 0.8)
        while (width * dpi / 72) * (height * dpi / 72) > OCR_PIXELS and dpi > MIN_DPI:
            dpi = max(MIN_DPI, dpi * 0.8)
        w_px, h_px = int(width * dpi / 72), int(height * dpi / 72)
        if w_px * h_px > MAX_PIXELS:
            raise InputError(image_too_large_message(w_px, h_px), path)
        return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"), dpi

    def close(self) -> None:
        self.pdf.close()


def _bytes_per_pixel(mode: str) -> int:
    """Bytes Pillow takes per pixel: one for 1/L/P, two for 16-bit, four for the rest."""
    if mode in ("1", "L", "P"):
        return 1
    return 2 if mode.startswith("I;16") else 4


def check_size(image: Image.Image, path: str | None) -> None:
    """Refuse, before decoding, a frame over MAX_PIXELS or MAX_DECODED bytes."""
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise InputError(image_too_large_message(width, height), path)
    decoded = width * height * _bytes_per_pixel(image.mode)
    if decoded > MAX_DECODED:
        mib = 1024 * 1024
        size = f"{width}×{height} 像素，解码后 {decoded // mib} MB"
        raise InputError(f"图片过大（{size}，上限 {MAX_DECODED // mib} MB）", path)


def for_ocr(frame: Image.Image) -> tuple[Image.Image, int]:
    """(the frame, reduced by an integer factor to at most OCR_PIXELS, that factor)."""
    factor = math.ceil(math.sqrt(frame.size[0] * frame.size[1] / OCR_PIXELS))
    return (frame.reduce(factor), factor) if factor > 1 else (frame, 1)


def open_image(data: bytes, path: str | None) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning, damaged TIFF tags
            image = Image.open(io.BytesIO(data))  # reads the header only
    except Image.DecompressionBombError as err:  # Pillow's own cap, above ours
        raise InputError(image_too_large_message(*_png_size(data)), path) from err
    except (OSError, ValueError) as err:
        raise InputError(MSG_BAD_IMAGE, path) from err
    if image.format not in ("PNG", "JPEG", "TIFF", "MPO"):
        raise InputError(MSG_BAD_IMAGE, path)
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise InputError(image_too_large_message(width, height), path)
    return image


def load_frame(image: Image.Image, index: int, path: str | None) -> Image.Image:
    # WeasyPrint (PDF output) sets Pillow's process-wide LOAD_TRUNCATED_IMAGES on import; a cut
    # scan must still be refused, not read with its lower part grey.
    truncated_ok, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # DecompressionBombWarning, damaged TIFF tags
            image.seek(index)
            if image.format in ("JPEG", "MPO"):
                image.draft("L", image.size)  # decode to greyscale: a quarter of RGB's memory
            check_size(image, path)
            return ImageOps.exif_transpose(image).convert("L")
    except (OSError, ValueError, EOFError, SyntaxError, Image.DecompressionBombError) as err:
        raise InputError(MSG_BAD_IMAGE, path) from err
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok


def media_type(image: Image.Image) -> str:
    return {"PNG": "image/png", "TIFF": "image/tiff"}.get(image.format or "", "image/jpeg")
