"""PROOF_OF_ADDRESS: read a bill or bank statement, check its holder, address and date."""
