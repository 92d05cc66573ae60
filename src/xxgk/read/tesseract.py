"""Running Tesseract: availability, parallel jobs, TSV words with boxes and confidences.

A job is a list of images read with one language and page-segmentation mode in one
process, passed as the pages of one TIFF (Tesseract reads each page on its own, so one
cell's layout never influences another's). Jobs run in
parallel, each process single-threaded (OMP_THREAD_LIMIT=1 is faster than Tesseract's own
threads on small images).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass

from PIL import Image

from ..errors import InputError
from .layout import Word

INSTALL_HINT = "请运行 scripts/setup-system.sh"
MSG_NO_TESSERACT = f"识别图片需要安装 Tesseract 文字识别程序及简体中文语言包（chi_sim）：{INSTALL_HINT}"
MSG_SCANNED_PDF = f"PDF 为扫描件（无文字层），需要安装 Tesseract 才能识别：{INSTALL_HINT}"
MSG_OCR_FAILED = "文字识别失败"


def ocr_timeout_message(seconds: float) -> str:
    return f"文字识别超时（超过 {seconds:g} 秒）"


@functools.cache
def tesseract_languages() -> frozenset[str]:
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:])


def tesseract_available() -> bool:
    return {"chi_sim", "eng"} <= tesseract_languages()


def require_tesseract(path: str | None, scanned_pdf: bool = False) -> None:
    if not tesseract_available():
        raise InputError(MSG_SCANNED_PDF if scanned_pdf else MSG_NO_TESSERACT, path)


@dataclass
class Job:
    images: list[Image.Image]
    lang: str = "chi_sim"
    psm: int = 6


def run_jobs(jobs: list[Job], timeout: float, path: str | None = None) -> list[list[list[Word]]]:
    """For each job, the words of each of its images (pixel boxes of that image)."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="xxgk-ocr-") as tmp:
        procs: list[subprocess.Popen] = []
        try:
            for j, job in enumerate(jobs):
                source = _write_inputs(tmp, j, job.images)
                cmd = ["tesseract", source, "stdout", "-l", job.lang, "--psm", str(job.psm), "tsv"]
                procs.append(
                    subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
                )
            outputs = [_collect(proc, deadline, timeout, path) for proc in procs]
        except OSError as err:
            raise InputError(MSG_NO_TESSERACT, path) from err
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    return [parse_tsv(out, len(job.images)) for out, job in zip(outputs, jobs, strict=True)]


def _write_inputs(tmp: str, j: int, images: list[Image.Image]) -> str:
    """One uncompressed (multi-page) TIFF: quick to write, each image a page for Tesseract."""
    source = os.path.join(tmp, f"{j}.tif")
    images[0].save(source, save_all=True, append_images=images[1:], dpi=(300, 300))
    return source


def _collect(proc: subprocess.Popen, deadline: float, timeout: float, path: str | None) -> str:
    try:
        out, _ = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired as err:
        raise InputError(ocr_timeout_message(timeout), path) from err
    if proc.returncode != 0:
        raise InputError(MSG_OCR_FAILED, path)
    return out.decode("utf-8", "replace")


def parse_tsv(tsv: str, pages: int = 1) -> list[list[Word]]:
    """Words of each page from Tesseract's TSV (level 5 rows; conf -1 becomes 0)."""
    out: list[list[Word]] = [[] for _ in range(pages)]
    for line in tsv.splitlines()[1:]:
        parts = line.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        page = int(parts[1]) - 1
        if not 0 <= page < pages:
            continue
        left, top, width, height = (int(v) for v in parts[6:10])
        conf = max(0.0, float(parts[10]))
        line_id = tuple(int(v) for v in parts[1:5])
        out[page].append(Word(parts[11].strip(), left, top, left + width, top + height, conf, line_id))
    return out
