/** Appointment slip PDF (pdfkit, standard fonts: names here are Latin or shown as entered). */
import PDFDocument from 'pdfkit';
import { drawQr, qrMatrix } from '../certificates/domain/qr';

export interface SlipData {
  appointmentId: string;
  date: string; // DD-MM-YYYY
  slot: string;
  dose: number;
  /** The 4-digit booking code the vaccinator asks for. */
  code?: string;
  vaccine?: string;
  center: { name: string; district_name: string; state_name: string; block_name: string; from: string; to: string; pincode?: number };
  beneficiaries: Array<{ name: string; referenceId: string; birthYear: number; photoId: string }>;
}

export async function renderSlip(d: SlipData): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Appointment ${d.appointmentId}`, Author: 'Open CoWIN' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  doc.fontSize(20).font('Helvetica-Bold').text('Vaccination Appointment Slip');
  doc.moveDown(0.5).fontSize(10).font('Helvetica').fillColor('#444').text(`Appointment confirmation no. ${d.appointmentId}`);
  doc.fillColor('black').moveDown();

  const row = (label: string, value: string) => {
    doc.font('Helvetica-Bold').text(`${label}: `, { continued: true }).font('Helvetica').text(value);
  };
  doc.fontSize(12);
  if (d.code) row('Booking code (tell it to the vaccinator)', d.code);
  row('Date', d.date);
  row('Time slot', d.slot);
  row('Dose', String(d.dose));
  if (d.vaccine) row('Vaccine', d.vaccine);
  row('Centre', d.center.name);
  row('Address', [d.center.block_name, d.center.district_name, d.center.state_name, d.center.pincode].filter(Boolean).join(', '));
  row('Centre hours', `${d.center.from} - ${d.center.to}`);
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(14).text('Beneficiaries');
  doc.fontSize(12).font('Helvetica');
  for (const b of d.beneficiaries) {
    doc.moveDown(0.3).text(`${b.name}  (reference id ${b.referenceId}, born ${b.birthYear}, photo ID ${b.photoId})`);
  }
  doc.moveDown();
  // The appointment id as a vector QR (same drawing code as the certificates: no PNG encoder).
  const top = doc.y;
  drawQr(doc, qrMatrix(d.appointmentId.toUpperCase()), doc.page.margins.left, top, 120);
  doc.y = top + 125;
  doc.moveDown().fontSize(9).fillColor('#444').text('Carry the photo ID used for registration. The vaccinator will verify it before vaccination.');
  doc.end();
  return done;
}
