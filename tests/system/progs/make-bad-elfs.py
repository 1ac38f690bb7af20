#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only
"""Write malformed PVH kernels for the bad-input system tests.

bad-overlap.elf     two PT_LOAD segments whose physical ranges overlap
bad-outofrange.elf  a PT_LOAD far beyond any test guest's RAM (1.5 GiB)
bad-nonote.elf      a valid ELF64 without the XEN_ELFNOTE_PHYS32_ENTRY note
bad-truncated.elf   a segment that claims more file bytes than there are
"""
import struct
import sys


def note(entry):
    name = b"Xen\0"
    desc = struct.pack("<I", entry)
    return struct.pack("<III", len(name), len(desc), 18) + name + desc


def elf64(segments, with_note=True, entry=0x100000, truncate=False):
    """segments: list of (paddr, filesz, memsz)."""
    ehsize, phentsize = 64, 56
    phnum = len(segments) + (1 if with_note else 0)
    off = ehsize + phnum * phentsize
    body = b""
    phdrs = b""
    if with_note:
        n = note(entry)
        phdrs += struct.pack("<IIQQQQQQ", 4, 4, off, 0, 0, len(n), len(n), 4)
        body += n
        off += len(n)
    for paddr, filesz, memsz in segments:
        data = bytes([0x90]) * filesz
        claimed = filesz * 4 if truncate else filesz
        phdrs += struct.pack("<IIQQQQQQ", 1, 7, off, paddr, paddr, claimed, max(memsz, claimed), 0x1000)
        body += data
        off += filesz
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
    eh = ident + struct.pack("<HHIQQQIHHHHHH", 2, 0x3e, 1, entry, ehsize, 0, 0,
                             ehsize, phentsize, phnum, 0, 0, 0)
    return eh + phdrs + body


def main(outdir):
    files = {
        "bad-overlap.elf": elf64([(0x100000, 0x2000, 0x2000), (0x101000, 0x2000, 0x2000)]),
        "bad-outofrange.elf": elf64([(0x60000000, 0x1000, 0x1000)], entry=0x60000000),
        "bad-nonote.elf": elf64([(0x100000, 0x1000, 0x1000)], with_note=False),
        "bad-truncated.elf": elf64([(0x100000, 0x1000, 0x1000)], truncate=True),
    }
    for name, data in files.items():
        with open(f"{outdir}/{name}", "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
