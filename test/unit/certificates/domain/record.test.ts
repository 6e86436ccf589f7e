import { COWIN_VACCINES, dccFromRecord, DccPayloadSchema, vaccineCatalogueEntry } from '../../../../functions/certificates/domain/dcc';
import {
  ageOn,
  buildCertificateRecord,
  CertificateInputError,
  certificateKind,
  CertificateRecordSchema,
  icaoTransliterate,
  type BuildCertificateInput,
} from '../../../../functions/certificates/domain/record';
import { ISSUED_AT, twoDoseInput } from '../fixtures';

const UVCI = 'URN:UVCI:01:NL:187/37512422923#Z';
const input = (overrides: Partial<BuildCertificateInput> = {}): BuildCertificateInput => ({
  ...twoDoseInput(),
  certificateId: UVCI,
  issuedAt: ISSUED_AT,
  ...overrides,
});

describe('icaoTransliterate', () => {
  it.each([
    ['Ramesh Kumar', 'RAMESH<KUMAR'],
    ['Musterfrau-Gößinger', 'MUSTERFRAU<GOESSINGER'], // the EU dgc-testdata AT vector
    ['José Núñez', 'JOSE<NUNEZ'],
    ["D'Souza", 'DSOUZA'],
    ['  Anne   Marie  ', 'ANNE<MARIE'],
    ['Åsa Ørsted Æbelø', 'AASA<OERSTED<AEBELOE'],
    ['Łukasz Þór', 'LUKASZ<THOR'],
    ['K. Padmavathi', 'K<PADMAVATHI'],
  ])('%s → %s', (name, expected) => {
    expect(icaoTransliterate(name)).toBe(expected);
    expect(icaoTransliterate(name)).toMatch(/^[A-Z<]*$/);
  });

  it('drops scripts it cannot transliterate and caps at 80 characters', () => {
    expect(icaoTransliterate('محمد')).toBe('');
    expect(icaoTransliterate('रमेश')).toBe('RAMESH');
    expect(icaoTransliterate('A'.repeat(100))).toHaveLength(80);
  });
});

describe('buildCertificateRecord', () => {
  it('builds the DDCC:VS-shaped record from CoWIN-style inputs', () => {
    const record = buildCertificateRecord(input({ beneficiary: { ...twoDoseInput().beneficiary, passportNumber: 't4829301' } }));
    expect(record.holder).toEqual({
      name: 'Venkata Lakshmi Narasimha Prasad Chowdary',
      familyName: 'Chowdary',
      givenName: 'Venkata Lakshmi Narasimha Prasad',
      familyNameIcao: 'CHOWDARY',
      givenNameIcao: 'VENKATA<LAKSHMI<NARASIMHA<PRASAD',
      dateOfBirth: '1968',
      gender: 'male',
      beneficiaryReferenceId: '73421908856210',
      photoId: { type: 'Aadhaar Card', last4: '1098', length: 12 },
      passportNumber: 'T4829301',
    });
    expect(record.vaccinations).toHaveLength(2);
    expect(record.vaccinations[1]).toEqual({
      disease: '840539006',
      vaccineCode: '29061000087103',
      productCode: 'Covishield',
      productName: 'COVISHIELD',
      manufacturerCode: 'ORG-100001981',
      manufacturer: 'Serum Institute of India',
      lot: '4121Z098',
      date: '2021-08-02',
      doseNumber: 2,
      totalDoses: 2,
      country: 'IN',
      centreName: 'Government General Hospital Vijayawada',
      vaccinatorName: 'K. Padmavathi',
    });
    expect(record.certificate).toEqual({
      id: UVCI,
      issuer: 'MoHFW, Government of India',
      issuedAt: '2021-08-02T10:15:00.000Z',
      validFrom: '2021-08-02',
      version: '1.0.0',
      kind: 'Final',
    });
    expect(CertificateRecordSchema.safeParse(record).success).toBe(true);
  });

  it('keeps only the last 4 characters of the photo ID, masked or not, and no passport unless given', () => {
    const masked = buildCertificateRecord(input({ beneficiary: { ...twoDoseInput().beneficiary, photoIdNumber: 'XXXXXXXX4321' } }));
    expect(masked.holder.photoId.last4).toBe('4321');
    expect(masked.holder).not.toHaveProperty('passportNumber');
    expect(JSON.stringify(masked)).not.toContain('9876');
  });

  it('treats a single-word name as the family name', () => {
    const record = buildCertificateRecord(input({ beneficiary: { ...twoDoseInput().beneficiary, name: 'Lalita' } }));
    expect(record.holder.familyName).toBe('Lalita');
    expect(record.holder).not.toHaveProperty('givenName');
    expect(record.holder).not.toHaveProperty('givenNameIcao');
  });

  it('romanises a name written only in Devanagari for fnt/gnt and keeps the script in the names as written', () => {
    const devanagari = { ...twoDoseInput().beneficiary, name: 'रमेश शर्मा' };
    const record = buildCertificateRecord(input({ beneficiary: devanagari }));
    expect(record.holder).toMatchObject({ name: 'रमेश शर्मा', familyName: 'शर्मा', givenName: 'रमेश', familyNameIcao: 'SHARMA', givenNameIcao: 'RAMESH' });
    // a Latin spelling the holder gave still wins
    const given = buildCertificateRecord(input({ beneficiary: { ...devanagari, familyNameLatin: 'Sharmaa', givenNameLatin: 'Ramesh' } }));
    expect(given.holder).toMatchObject({ familyNameIcao: 'SHARMAA', givenNameIcao: 'RAMESH' });
    // mixed: a Devanagari given name is no longer dropped from the machine-readable name
    const mixed = buildCertificateRecord(input({ beneficiary: { ...devanagari, name: 'सुनीता Devi' } }));
    expect(mixed.holder).toMatchObject({ givenName: 'सुनीता', givenNameIcao: 'SUNITA', familyNameIcao: 'DEVI' });
  });

  it('still refuses a name in a script it cannot romanise (a Latin spelling fixes it)', () => {
    const arabic = { ...twoDoseInput().beneficiary, name: 'محمد علي' };
    expect(() => buildCertificateRecord(input({ beneficiary: arabic }))).toThrow(CertificateInputError);
    expect(buildCertificateRecord(input({ beneficiary: { ...arabic, familyNameLatin: 'Ali', givenNameLatin: 'Mohammed' } })).holder.familyNameIcao).toBe('ALI');
  });

  it.each([
    [[1], 2, 'Provisional'],
    [[1, 2], 2, 'Final'],
    [[1, 2, 3], 2, 'Precaution'],
  ] as const)('doses %j of a %i-dose series → %s', (doses, total, kind) => {
    expect(certificateKind(doses[doses.length - 1]!, total)).toBe(kind);
    const record = buildCertificateRecord(
      input({
        doses: doses.map((doseNumber) => ({ doseNumber, date: `2021-0${doseNumber + 2}-01`, batch: 'B1', centreName: 'PHC', vaccinatorName: 'V' })),
      }),
    );
    expect(record.certificate.kind).toBe(kind);
  });

  it('records a heterologous precaution dose with its own product', () => {
    const base = twoDoseInput();
    const record = buildCertificateRecord(
      input({
        doses: [
          ...base.doses,
          { doseNumber: 3, date: '2022-04-10', batch: 'CB22', centreName: 'PHC Kondapur', vaccinatorName: 'S. Rao', vaccine: COWIN_VACCINES.CORBEVAX },
        ],
      }),
    );
    expect(record.certificate.kind).toBe('Precaution');
    expect(record.vaccinations.map((v) => v.productName)).toEqual(['COVISHIELD', 'COVISHIELD', 'CORBEVAX']);
  });

  it('rejects inputs that break the schema, with the failing paths', () => {
    const bad = (overrides: Partial<BuildCertificateInput>) => () => buildCertificateRecord(input(overrides));
    expect(bad({ certificateId: 'URN:UVCI:01:NL:187/37512422923#Y' })).toThrow(/certificate\.id/);
    expect(bad({ beneficiary: { ...twoDoseInput().beneficiary, referenceId: '123' } })).toThrow(/beneficiaryReferenceId/);
    expect(bad({ beneficiary: { ...twoDoseInput().beneficiary, birthYear: 68 } })).toThrow(/dateOfBirth/);
    expect(bad({ doses: [{ doseNumber: 1, date: '2021-02-30', batch: 'B', centreName: 'C', vaccinatorName: 'V' }] })).toThrow(/date/);
    expect(
      bad({
        doses: [
          { doseNumber: 1, date: '2021-05-03', batch: 'B', centreName: 'C', vaccinatorName: 'V' },
          { doseNumber: 2, date: '2021-04-03', batch: 'B', centreName: 'C', vaccinatorName: 'V' },
        ],
      }),
    ).toThrow(/precede/);
    expect(bad({ doses: [] })).toThrow(/vaccinations/);
  });
});

describe('ageOn', () => {
  it('counts whole years, from a full or a year-only date of birth', () => {
    expect(ageOn('1968', ISSUED_AT)).toBe(53);
    expect(ageOn('1968-09-10', ISSUED_AT)).toBe(52);
    expect(ageOn('1968-08-02', ISSUED_AT)).toBe(53);
  });
});

describe('dccFromRecord', () => {
  it('maps the holder and the latest dose to an EU DCC v1.3.0 payload', () => {
    const payload = dccFromRecord(buildCertificateRecord(input()));
    expect(payload).toEqual({
      ver: '1.3.0',
      nam: { fn: 'Chowdary', fnt: 'CHOWDARY', gn: 'Venkata Lakshmi Narasimha Prasad', gnt: 'VENKATA<LAKSHMI<NARASIMHA<PRASAD' },
      dob: '1968',
      v: [
        {
          tg: '840539006',
          vp: '29061000087103',
          mp: 'Covishield',
          ma: 'ORG-100001981',
          dn: 2,
          sd: 2,
          dt: '2021-08-02',
          co: 'IN',
          is: 'MoHFW, Government of India',
          ci: UVCI,
        },
      ],
    });
    expect(DccPayloadSchema.safeParse(payload).success).toBe(true);
    expect(dccFromRecord(buildCertificateRecord(input()), { transliteratedNamesOnly: true }).nam).toEqual({
      fnt: 'CHOWDARY',
      gnt: 'VENKATA<LAKSHMI<NARASIMHA<PRASAD',
    });
  });

  it('encodes precaution doses the EU way: 3/3 after a 2-dose series, 2/1 after a single dose', () => {
    const precaution = buildCertificateRecord(
      input({
        doses: [
          ...twoDoseInput().doses,
          { doseNumber: 3, date: '2022-04-10', batch: 'CB22', centreName: 'PHC', vaccinatorName: 'V', vaccine: COWIN_VACCINES.CORBEVAX },
        ],
      }),
    );
    expect(dccFromRecord(precaution).v[0]).toMatchObject({ dn: 3, sd: 3, mp: 'Corbevax' });
    expect(precaution.vaccinations[2]?.totalDoses).toBe(2); // the record keeps the primary series
    const afterSingle = buildCertificateRecord(
      input({
        vaccine: COWIN_VACCINES['SPUTNIK LIGHT']!,
        doses: [
          { doseNumber: 1, date: '2021-09-01', batch: 'SL1', centreName: 'PHC', vaccinatorName: 'V' },
          { doseNumber: 2, date: '2022-04-10', batch: 'SL2', centreName: 'PHC', vaccinatorName: 'V' },
        ],
      }),
    );
    expect(afterSingle.certificate.kind).toBe('Precaution');
    expect(dccFromRecord(afterSingle).v[0]).toMatchObject({ dn: 2, sd: 1 });
  });

  it('knows the CoWIN vaccines by their CoWIN names', () => {
    expect(vaccineCatalogueEntry('Sputnik V')).toMatchObject({ productCode: 'Sputnik-V', manufacturerCode: 'Gamaleya-Research-Institute' });
    expect(vaccineCatalogueEntry('covaxin')).toMatchObject({ productCode: 'Covaxin', manufacturerCode: 'Bharat-Biotech', prophylaxisCode: '1157024006' });
    expect(vaccineCatalogueEntry('SPUTNIK_V')?.name).toBe('SPUTNIK V');
    expect(vaccineCatalogueEntry('Unknown')).toBeUndefined();
  });
});
