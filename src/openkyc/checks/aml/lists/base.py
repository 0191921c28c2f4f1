"""What every list parser shares: the error with its place, hardened XML and CSV reading.

List files come from outside: XML is read by defusedxml's expat reader with DTDs,
entities and external references refused (no entity expansion, no network), one record
at a time; CSV is decoded strictly. A file that breaks anywhere is refused whole, with
the line (and element) at fault, before anything is stored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.sax import SAXException, SAXParseException
from xml.sax.expatreader import ExpatLocator
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser

from openkyc.checks.aml.entity import Entity

CHUNK = 1 << 16
MAX_FIELD = 4000  # characters: longer values are not names or dates, the file is broken
Progress = Callable[[int], None]  # bytes read so far


class ListFormatError(ValueError):
    """A list file that cannot be read; the message names the line or element at fault."""


@dataclass
class ParsedList:
    source: str
    published: str | None = None
    entities: list[Entity] = field(default_factory=list)


class Node:
    """One XML element of a record, with the line it starts on."""

    __slots__ = ("attrs", "children", "line", "parts", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], line: int) -> None:
        self.tag = tag
        self.attrs = attrs
        self.line = line
        self.children: list[Node] = []
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return " ".join("".join(self.parts).split())

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def findall(self, path: str) -> list[Node]:
        """Descendants along a path of tags ("akaList/aka")."""
        nodes = [self]
        for tag in path.split("/"):
            nodes = [c for n in nodes for c in n.children if c.tag == tag]
        return nodes

    def get(self, path: str) -> str:
        found = self.findall(path)
        return found[0].text if found else ""

    def texts(self, path: str) -> list[str]:
        return [n.text for n in self.findall(path) if n.text]

    def fail(self, message: str) -> ListFormatError:
        return ListFormatError(f"line {self.line}: <{self.tag}>: {message}")


class _RecordHandler(ContentHandler):
    """Builds a small tree for each record element and hands it over once complete."""

    def __init__(self, records: set[str], on_record: Callable[[Node], None]) -> None:
        super().__init__()
        self.records = records
        self.on_record = on_record
        self.stack: list[Node] = []
        self.root_attrs: dict[str, str] = {}
        self.depth = 0
        self.locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def _line(self) -> int:
        line = self.locator.getLineNumber() if self.locator is not None else None
        return line or 0

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        self.depth += 1
        tag = name.rsplit(":", 1)[-1]
        if self.depth == 1:
            self.root_attrs = dict(attrs.items())
        if self.stack or tag in self.records:
            node = Node(tag, dict(attrs.items()), self._line())
            if self.stack:
                self.stack[-1].children.append(node)
            self.stack.append(node)

    def characters(self, content: str) -> None:
        if self.stack:
            node = self.stack[-1]
            node.parts.append(content)
            if len(node.parts) > 64 and sum(map(len, node.parts)) > MAX_FIELD:
                raise node.fail(f"a value longer than {MAX_FIELD} characters")

    def endElement(self, name: str) -> None:
        self.depth -= 1
        if self.stack:
            node = self.stack.pop()
            if not self.stack:
                self.on_record(node)


def read_xml(
    source: BinaryIO,
    records: set[str],
    on_record: Callable[[Node], None],
    progress: Progress | None = None,
) -> dict[str, str]:
    """Stream `source`, calling `on_record` for each element named in `records`;
    return the root element's attributes."""
    handler = _RecordHandler(records, on_record)
    parser = make_parser()
    parser.forbid_dtd = True  # lists have no DTD; one is a sign of a hostile file
    parser.setContentHandler(handler)
    handler.setDocumentLocator(ExpatLocator(parser))  # feed() alone never sets one
    read = 0
    try:
        while chunk := source.read(CHUNK):
            parser.feed(chunk)
            read += len(chunk)
            if progress is not None:
                progress(read)
        parser.close()
    except SAXParseException as exc:
        raise ListFormatError(
            f"line {exc.getLineNumber()}: malformed XML ({exc.getMessage()})"
        ) from None
    except DefusedXmlException as exc:
        raise ListFormatError(f"line {handler._line()}: refused XML: {exc}") from None
    except SAXException as exc:
        raise ListFormatError(f"line {handler._line()}: {exc.getMessage()}") from None
    if handler.depth != 0:
        raise ListFormatError(f"line {handler._line()}: the file ends inside an element")
    return handler.root_attrs


def decode(data: bytes, name: str = "file") -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as older exports are written."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ListFormatError(f"{name} line {line}: a NUL byte: this is not a text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(text: str, name: str = "file") -> Iterator[tuple[int, list[str]]]:
    """(line number, row) of a CSV text; a broken quote or an oversized field is refused."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            if any(len(cell) > MAX_FIELD for cell in row):
                raise ListFormatError(f"{name} line {reader.line_num}: a field is too long")
            yield reader.line_num, [cell.strip() for cell in row]
    except csv.Error as exc:
        raise ListFormatError(f"{name} line {reader.line_num}: malformed CSV ({exc})") from None
