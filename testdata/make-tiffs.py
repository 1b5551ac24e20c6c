#!/usr/bin/python3
"""make-tiffs.py - TIFFs, honest and carrying things, for the TIFF walk
(doc/design.md, "Images").

Pillow writes the honest ones and those with a private tag, an Exif
MakerNote or a JPEG's Exif; the BigTIFF and the one with a gap between its
strips are written by hand from TIFF 6.0 (section 2, "TIFF Structure") and
the BigTIFF description (version 43, 8-byte offsets), standard library
only. Needs python3-pil. Run from the repository root:

    /usr/bin/python3 testdata/make-tiffs.py
"""
import struct

from PIL import Image, TiffImagePlugin

OUT = "testdata/images/"
PKL = open("testdata/artefacts/models/sklearn_logreg_p4.pkl", "rb").read()
NPY = open("testdata/artefacts/models/weights.npy", "rb").read()


def chart():
    im = Image.new("RGB", (48, 32), (255, 255, 255))
    for x in range(8, 40):
        for y in range(32 - (x % 5) * 5, 32):
            im.putpixel((x, y), (40, 90, 160))
    return im


im = chart()
im.save(OUT + "chart.tif")
im.save(OUT + "chart_lzw.tif", compression="tiff_lzw")
im.save(OUT + "chart_pages.tif", save_all=True, append_images=[chart().convert("L")])
im.save(OUT + "chart_described.tif", description="Figure 1: counts by region (rounded)")

# A private tag (65000, UNDEFINED) holding a pickle.
info = TiffImagePlugin.ImageFileDirectory_v2()
info[65000] = PKL
info.tagtype[65000] = 7
im.save(OUT + "chart_private_tag.tif", tiffinfo=info)

# A pickle after the last byte the IFDs point to.
with open(OUT + "chart.tif", "rb") as f:
    plain = f.read()
with open(OUT + "chart_appended.tif", "wb") as f:
    f.write(plain + PKL)

# An Exif MakerNote (37500) holding a pickle, in a JPEG.
exif = Image.Exif()
exif[0x8769] = {37500: PKL}
im.save(OUT + "photo_makernote.jpg", exif=exif)


def little_tiff(width, height, pixels, gap=b"", big=False):
    """One grey strip, with GAP between the IFD and the strip."""
    entries = [(256, 3, 1, width), (257, 3, 1, height), (258, 3, 1, 8), (259, 3, 1, 1),
               (262, 3, 1, 1), (273, 4, 1, None), (277, 3, 1, 1), (278, 3, 1, height),
               (279, 4, 1, len(pixels))]
    if big:
        head = b"II" + struct.pack("<HHHQ", 43, 8, 0, 16)
        ifd_len = 8 + 20 * len(entries) + 8
        strip_at = 16 + ifd_len + len(gap)
        ifd = struct.pack("<Q", len(entries))
        for tag, typ, count, val in entries:
            val = strip_at if val is None else val
            ifd += struct.pack("<HHQQ", tag, 16 if typ == 4 else typ, count, val)
        ifd += struct.pack("<Q", 0)
        return head + ifd + gap + pixels
    head = b"II" + struct.pack("<HI", 42, 8)
    ifd_len = 2 + 12 * len(entries) + 4
    strip_at = 8 + ifd_len + len(gap)
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, val in entries:
        val = strip_at if val is None else val
        ifd += struct.pack("<HHII", tag, typ, count, val)
    ifd += struct.pack("<I", 0)
    return head + ifd + gap + pixels


PIXELS = bytes((x * 7 + y * 3) % 256 for y in range(16) for x in range(16))
with open(OUT + "chart_bigtiff.tif", "wb") as f:
    f.write(little_tiff(16, 16, PIXELS, big=True))
with open(OUT + "chart_gap.tif", "wb") as f:
    f.write(little_tiff(16, 16, PIXELS, gap=NPY))
