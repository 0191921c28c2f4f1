"""Machine-readable zones: layouts, check digits, OCR repairs, parsing and locating."""
