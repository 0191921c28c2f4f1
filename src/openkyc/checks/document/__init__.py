"""ID document verification: decode, locate, read the MRZ and the visual zone, decide."""
