"""Receipt printing: documents to ESC/POS bytes, the print queue and transports, a virtual printer."""
