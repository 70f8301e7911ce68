"""Small real files for upload tests: every upload is parsed by its content (dksangtao.uploads), so a
sample must be a file that a reader opens, not only the right first bytes."""

# A one-page A4 PDF: catalogue, page tree, one page, cross-reference table (pypdf reads it).
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n0000000115 00000 n \n"
    b"trailer << /Size 4 /Root 1 0 R >>\nstartxref\n190\n%%EOF\n"
)
