/** The certificate PDF's Info dictionary key holding the QR's HC1 string (written by pdf.ts, read by pades-verify.ts without loading pdfkit). */
export const HC1_INFO_KEY = 'HC1';
